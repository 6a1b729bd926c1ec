/// Runs one function invocation: a command, an HTTP endpoint, or a built-in.
///
/// A runtime never throws for a failing function; it reports the failure in the outcome, so
/// the caller can record it as an event and apply the retry policy.
public protocol FunctionRuntime: Sendable {
    func invoke(_ invocation: FunctionInvocation) async -> FunctionOutcome
}

/// One attempt to run a function on one event.
public struct FunctionInvocation: Sendable {
    /// The function's name, for logs and errors.
    public var function: String
    /// The event the function runs on.
    public var event: CloudEvent
    /// 1 for the first attempt.
    public var attempt: Int
    /// How long the attempt may run before it counts as failed.
    public var timeout: Duration
    /// Stable across retries of the same event, so an idempotent function can deduplicate.
    public var idempotencyKey: String

    public init(function: String, event: CloudEvent, attempt: Int, timeout: Duration, idempotencyKey: String) {
        self.function = function
        self.event = event
        self.attempt = attempt
        self.timeout = timeout
        self.idempotencyKey = idempotencyKey
    }
}

/// What one attempt did: whether it succeeded, why not, and what it printed.
public struct FunctionOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// The function acknowledged the event (exit 0, HTTP 2xx).
        case succeeded
        /// The function ran and reported failure (non-zero exit, HTTP error status).
        case failed(String)
        /// The attempt ran past its timeout and was stopped.
        case timedOut
        /// The function could not be started or reached at all.
        case unreachable(String)
    }

    public var status: Status
    /// Standard output (or the HTTP response body), truncated to a bounded size.
    public var output: CapturedText
    /// Standard error, truncated to a bounded size; empty for HTTP functions.
    public var errorOutput: CapturedText
    /// How long the attempt took.
    public var duration: Duration

    public init(
        status: Status, output: CapturedText = CapturedText(), errorOutput: CapturedText = CapturedText(),
        duration: Duration
    ) {
        self.status = status
        self.output = output
        self.errorOutput = errorOutput
        self.duration = duration
    }

    public var succeeded: Bool { status == .succeeded }
}

/// Text a function printed, kept up to a limit so a chatty function cannot fill the log.
public struct CapturedText: Sendable, Equatable {
    /// The first bytes, decoded as UTF-8 (invalid sequences replaced).
    public var text: String
    /// Bytes beyond the limit that were dropped.
    public var droppedBytes: Int

    public init(text: String = "", droppedBytes: Int = 0) {
        self.text = text
        self.droppedBytes = droppedBytes
    }

    /// The text split into lines, for one log event per line.
    public var lines: [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
}
