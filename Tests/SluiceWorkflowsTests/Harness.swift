import SluiceWorkflows

/// Runs workflows in tests with a scripted host instead of real effects.
enum Harness {
    typealias Host = (EffectRequest) -> Result<WorkflowValue, WorkflowError>
    typealias SendableHost = @Sendable (EffectRequest) -> Result<WorkflowValue, WorkflowError>

    /// A host that answers sys.now with 1000.0, sleeps and logs with null, and fails everything else.
    static let defaultHost: SendableHost = { request in
        switch request.function {
        case "sys.now": .success(.double(1000))
        case "sys.sleep", "sys.log": .success(.null)
        case "uuid.generate": .success("00000000-0000-4000-8000-000000000000")
        default: .failure(.systemError("no scripted answer for \(request.function)"))
        }
    }

    /// Runs a definition to its end, recording every effect request.
    static func run(
        _ source: String, argument: WorkflowValue = .null, host: Host = defaultHost,
        requests: UnsafeMutablePointer<[EffectRequest]>? = nil
    ) throws -> Result<WorkflowValue, WorkflowError> {
        let definition = try WorkflowDefinition(source: source)
        var execution = WorkflowExecution(definition: definition, argument: argument)
        while true {
            switch execution.advance() {
            case .finished(let value): return .success(value)
            case .failed(let error): return .failure(error)
            case .effects(let pending):
                for request in pending {
                    requests?.pointee.append(request)
                    execution.complete(effectID: request.id, with: host(request))
                }
            }
        }
    }

    /// The value of one expression, evaluated by a one-step workflow.
    static func evaluate(_ expression: String) throws -> Result<WorkflowValue, WorkflowError> {
        let quoted = expression.replacingOccurrences(of: "'", with: "''")
        return try run("- r:\n    return: '${\(quoted)}'\n")
    }

    /// The tags of the error a workflow fails with, or nil when it succeeds.
    static func failureTags(_ source: String) throws -> [String]? {
        if case .failure(let error) = try run(source) { return error.tags }
        return nil
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
