public import OrderedCollections

/// A runtime error of a workflow: the GCP error value (`tags`, `message`, and for HTTP errors `code`, `headers`,
/// `body`), or any value a `raise` step raised.
public struct WorkflowError: Error, Sendable, Hashable, Codable {
    /// The value an `except` block sees in its `as` variable and a failed execution reports.
    public var value: WorkflowValue

    /// Wraps a raised value; a raised string becomes `{message, tags: []}` as the emulator suite expects.
    public init(raising value: WorkflowValue) {
        if case .string(let message) = value {
            self.value = .object(["message": .string(message), "tags": .list([])])
        } else {
            self.value = value
        }
    }

    /// Builds a system error with the given tags and message.
    public init(tags: [String], message: String, extra: OrderedDictionary<String, WorkflowValue> = [:]) {
        var map: OrderedDictionary<String, WorkflowValue> = [
            "message": .string(message), "tags": .list(tags.map { .string($0) }),
        ]
        for (key, item) in extra { map[key] = item }
        value = .map(map)
    }

    /// The error's tags, empty when it carries none.
    public var tags: [String] {
        guard case .list(let items)? = value["tags"] else { return [] }
        return items.compactMap(\.stringValue)
    }

    /// The human-readable message, if the error has one.
    public var message: String? { value["message"]?.stringValue }

    /// The HTTP status for HttpError values.
    public var code: Int64? {
        if case .int(let code)? = value["code"] { return code }
        return nil
    }

    /// The error map as printed for a failed execution: maps as they are, any other value under `message`.
    public var errorMap: WorkflowValue {
        if case .map = value { return value }
        let text = (try? value.jsonString()) ?? value.typeName
        return .object(["message": .string(text), "tags": .list([])])
    }
}

extension WorkflowError {
    /// A value of the wrong type.
    public static func typeError(_ message: String) -> WorkflowError { .init(tags: ["TypeError"], message: message) }
    /// A missing map key or variable.
    public static func keyError(_ message: String) -> WorkflowError { .init(tags: ["KeyError"], message: message) }
    /// A list index out of range.
    public static func indexError(_ message: String) -> WorkflowError { .init(tags: ["IndexError"], message: message) }
    /// A value of the right type but a bad value, including integer overflow.
    public static func valueError(_ message: String) -> WorkflowError { .init(tags: ["ValueError"], message: message) }
    /// Division or modulo by zero.
    public static func zeroDivision(_ message: String) -> WorkflowError {
        .init(tags: ["ZeroDivisionError"], message: message)
    }
    /// The subworkflow call stack is too deep.
    public static func recursion(_ message: String) -> WorkflowError {
        .init(tags: ["RecursionError"], message: message)
    }
    /// A size, memory or step-count limit was exceeded.
    public static func resourceLimit(_ message: String) -> WorkflowError {
        .init(tags: ["ResourceLimitError"], message: message)
    }
    /// An internal failure.
    public static func systemError(_ message: String) -> WorkflowError {
        .init(tags: ["SystemError"], message: message)
    }
    /// Parallel steps nested deeper than allowed.
    public static func parallelNesting(_ message: String) -> WorkflowError {
        .init(tags: ["ParallelNestingError"], message: message)
    }
    /// One or more parallel branches failed under the continueAll policy.
    public static func unhandledBranch(_ errors: [WorkflowValue]) -> WorkflowError {
        .init(
            tags: ["UnhandledBranchError"],
            message: "UnhandledBranchError: \(errors.count) unhandled exception(s) in parallel branches",
            extra: ["branches": .list(errors)])
    }
    /// A non-2xx HTTP response.
    public static func httpError(code: Int64, headers: WorkflowValue, body: WorkflowValue) -> WorkflowError {
        .init(
            tags: ["HttpError"], message: "HTTP server responded with error code \(code)",
            extra: ["code": .int(code), "headers": headers, "body": body])
    }
    /// A connection broken during transfer.
    public static func connection(_ message: String) -> WorkflowError {
        .init(tags: ["ConnectionError"], message: message)
    }
    /// A connection that could not be established.
    public static func connectionFailed(_ message: String) -> WorkflowError {
        .init(tags: ["ConnectionFailedError"], message: message)
    }
    /// A blocking call that ran out of time.
    public static func timeout(_ message: String) -> WorkflowError { .init(tags: ["TimeoutError"], message: message) }
    /// Credentials for a request could not be made.
    public static func authError(_ message: String) -> WorkflowError { .init(tags: ["AuthError"], message: message) }
}
