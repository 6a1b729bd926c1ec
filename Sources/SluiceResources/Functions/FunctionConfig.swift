public import SluiceCore

/// A function's id, by Cloud Functions' rules: 1-63 characters, a lowercase letter first, then
/// lowercase letters, digits and hyphens, not ending in a hyphen.
public struct FunctionName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(SluiceError) {
        let bytes = Array(rawValue.utf8)
        let isLower = { (byte: UInt8) in (0x61...0x7A).contains(byte) }
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        guard (1...63).contains(bytes.count), isLower(bytes[0]), bytes.last != UInt8(ascii: "-"),
            bytes.allSatisfy({ isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") })
        else {
            throw SluiceError(
                .invalidArgument,
                "invalid function name '\(rawValue)': 1-63 lowercase letters, digits or hyphens, a letter first")
        }
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try Self(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: FunctionName, rhs: FunctionName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a function runs for each message of its trigger topic.
public enum FunctionTarget: Sendable, Hashable, Codable {
    /// Starts a workflow execution whose argument is the event, as a Cloud Function that calls
    /// the Workflow Executions API would; the execution id derives from the message id.
    case startWorkflow(workflow: String)
    /// Runs a program with the CloudEvent as JSON on stdin; exit status 0 acknowledges.
    case command(arguments: [String])
    /// POSTs the CloudEvent (binary content mode) to a URL; a 2xx status acknowledges.
    case http(url: String)
}

/// A function triggered by a Pub/Sub topic, like a 2nd-gen Cloud Function with an Eventarc
/// Pub/Sub trigger.
public struct FunctionConfig: Sendable, Hashable, Codable {
    public var name: FunctionName
    public var triggerTopic: TopicName
    public var target: FunctionTarget
    /// Failed invocations are retried with backoff (Cloud Functions' "retry on failure"); off by
    /// default, as there.
    public var retryOnFailure: Bool
    /// How long one invocation may run.
    public var timeoutSeconds: Int64
    /// How many invocations may run at once.
    public var maxInstances: Int
    /// Where a message goes once it is given up (after `maxDeliveryAttempts`, or without retry
    /// after its one attempt), as the dead-letter topic of an Eventarc trigger's subscription.
    public var deadLetterTopic: TopicName?
    /// How many attempts a message gets before it is given up (5-100, as Pub/Sub allows);
    /// `nil`: until the 7-day retention runs out.
    public var maxDeliveryAttempts: Int?

    public init(
        name: FunctionName,
        triggerTopic: TopicName,
        target: FunctionTarget,
        retryOnFailure: Bool = false,
        timeoutSeconds: Int64 = 60,
        maxInstances: Int = 10,
        deadLetterTopic: TopicName? = nil,
        maxDeliveryAttempts: Int? = nil
    ) {
        self.name = name
        self.triggerTopic = triggerTopic
        self.target = target
        self.retryOnFailure = retryOnFailure
        self.timeoutSeconds = timeoutSeconds
        self.maxInstances = maxInstances
        self.deadLetterTopic = deadLetterTopic
        self.maxDeliveryAttempts = maxDeliveryAttempts
    }

    /// The subscription name a function's CloudEvents carry (`eventarc-NAME`), which also names
    /// it as the source of its dead-lettered messages and in `sluice subscriptions redrive`.
    public var subscriptionName: String { "eventarc-\(name.rawValue)" }

    /// Checks the limits Cloud Functions documents (timeout up to 540 s for event functions).
    public func validate() throws(SluiceError) {
        func fail(_ why: String) -> SluiceError { SluiceError(.invalidArgument, "function \(name): \(why)") }
        guard (1...540).contains(timeoutSeconds) else { throw fail("timeoutSeconds must be between 1 and 540") }
        guard (1...1_000).contains(maxInstances) else { throw fail("maxInstances must be between 1 and 1000") }
        if let attempts = maxDeliveryAttempts {
            guard (5...100).contains(attempts) else { throw fail("maxDeliveryAttempts must be between 5 and 100") }
            guard retryOnFailure else { throw fail("maxDeliveryAttempts needs retry on failure") }
        }
        if deadLetterTopic == triggerTopic { throw fail("the dead-letter topic cannot be the trigger topic") }
        switch target {
        case .startWorkflow(let workflow):
            guard !workflow.isEmpty else { throw fail("the workflow to start is empty") }
        case .command(let arguments):
            guard let program = arguments.first, !program.isEmpty else { throw fail("the command is empty") }
        case .http(let url):
            try OutboundURL.check(url, "function \(name): the URL")
        }
    }
}
