public import OrderedCollections
public import SluiceCore
public import SluiceWorkflows

/// An execution's stream folded into what the runner needs to resume it.
public struct ExecutionHistory: Sendable {
    /// An effect the history knows was requested.
    public struct RequestedEffect: Sendable, Hashable {
        public var id: String
        public var function: String
        public var arguments: WorkflowValue
        public var step: String
        /// When it was requested, microseconds since the epoch: a resumed sleep ends at the same time.
        public var requestedAt: Int64
    }

    /// How the execution ended, when it has.
    public enum Ending: Sendable, Hashable {
        case succeeded(WorkflowValue)
        case failed(WorkflowError)
        case cancelled(reason: String)
    }

    public private(set) var start: ExecutionStart?
    public private(set) var startedAt: Int64 = 0
    public private(set) var requested: OrderedDictionary<String, RequestedEffect> = [:]
    public private(set) var results: [String: Result<WorkflowValue, WorkflowError>] = [:]
    public private(set) var stepsRecorded = 0
    /// The step the execution started last: where it is, or where it ended.
    public private(set) var lastStep: StepProgress?
    public private(set) var ending: Ending?
    public private(set) var endedAt: Int64?
    /// The stream version the history was read up to.
    public private(set) var version: Int64 = 0
    /// The correlation id of the journey the execution belongs to.
    public private(set) var correlationID: String?
    /// How many `execution.resumed` events end the stream: restarts after which the execution
    /// recorded nothing else.
    public private(set) var resumptionsWithoutProgress = 0
    /// Of those, how many record that the process before them crashed: each is a crash while
    /// the execution had been resumed and had recorded nothing since.
    public private(set) var crashesWithoutProgress = 0

    /// Whether the execution is only waiting (a sleep, a callback): every effect it asked for
    /// and has no result of is one of those, so a restart leaves it with nothing to run yet.
    public var isOnlyWaiting: Bool {
        let pending = requested.values.filter { results[$0.id] == nil }
        return !pending.isEmpty && pending.allSatisfy { Self.waitingFunctions.contains($0.function) }
    }

    private static let waitingFunctions: Set<String> = ["sys.sleep", "sys.sleep_until", "events.await_callback"]

    public init() {}

    /// Folds events in stream order.
    public init(_ events: [RecordedEvent]) throws(SluiceError) {
        for event in events { try apply(event) }
    }

    public mutating func apply(_ event: RecordedEvent) throws(SluiceError) {
        version = event.version
        let fields = try EventPayload.decode(event)
        if event.type == ExecutionEventType.resumed {
            if resumptionsWithoutProgress > 0, fields["afterCrash"] == .bool(true) { crashesWithoutProgress += 1 }
            resumptionsWithoutProgress += 1
        } else {
            resumptionsWithoutProgress = 0
            crashesWithoutProgress = 0
        }
        switch event.type {
        case ExecutionEventType.started:
            start = ExecutionStart(
                workflow: fields["workflow"]?.stringValue ?? "",
                revision: fields["revision"].flatMap(Self.integer) ?? 0,
                argument: EventPayload.loading(fields["argument"], tagged: fields["argumentTagged"] == .bool(true)),
                replayOf: fields["replayOf"]?.stringValue,
                liveFromStep: fields["liveFromStep"]?.stringValue
            )
            start?.runNesting = fields["runNesting"].flatMap(Self.integer).map { Int(clamping: $0) } ?? 0
            start?.labels = (fields["labels"]?.mapValue ?? [:]).reduce(into: [:]) { labels, label in
                if let value = label.value.stringValue { labels[label.key] = value }
            }
            startedAt = event.timestamp
            correlationID = event.metadata.correlationID
        case ExecutionEventType.stepsStarted:
            let steps = fields["steps"]?.listValue ?? []
            stepsRecorded += steps.count
            if let last = steps.last, let routine = last["routine"]?.stringValue, let step = last["step"]?.stringValue {
                lastStep = StepProgress(routine: routine, step: step)
            }
        case ExecutionEventType.effectRequested:
            recordRequest(fields, at: event.timestamp)
        case ExecutionEventType.effectCompleted:
            // A result that carries its request (see `ExecutionEvents.effectResult`) records both.
            if fields["function"] != nil { recordRequest(fields, at: event.timestamp) }
            let id = fields["effectId"]?.stringValue ?? ""
            results[id] = .success(
                EventPayload.loading(fields["result"], tagged: fields["resultTagged"] == .bool(true)))
        case ExecutionEventType.effectFailed:
            if fields["function"] != nil { recordRequest(fields, at: event.timestamp) }
            let id = fields["effectId"]?.stringValue ?? ""
            results[id] = .failure(WorkflowError(raising: Self.error(fields)))
        case ExecutionEventType.succeeded:
            ending = .succeeded(EventPayload.loading(fields["result"], tagged: fields["resultTagged"] == .bool(true)))
            endedAt = event.timestamp
        case ExecutionEventType.failed:
            ending = .failed(WorkflowError(raising: Self.error(fields)))
            endedAt = event.timestamp
        case ExecutionEventType.cancelled:
            ending = .cancelled(reason: fields["reason"]?.stringValue ?? "")
            endedAt = event.timestamp
        default:
            break
        }
    }

    private mutating func recordRequest(_ fields: OrderedDictionary<String, WorkflowValue>, at timestamp: Int64) {
        let id = fields["effectId"]?.stringValue ?? ""
        requested[id] = RequestedEffect(
            id: id,
            function: fields["function"]?.stringValue ?? "",
            arguments: fields["arguments"] ?? .null,
            step: fields["step"]?.stringValue ?? "",
            requestedAt: fields["requestedAt"].flatMap(Self.integer) ?? timestamp
        )
    }

    private static func error(_ fields: OrderedDictionary<String, WorkflowValue>) -> WorkflowValue {
        EventPayload.loading(fields["error"], tagged: fields["errorTagged"] == .bool(true))
    }

    static func integer(_ value: WorkflowValue) -> Int64? {
        switch value {
        case .int(let number): number
        case .double(let number): Int64(exactly: number)
        case .string(let text): Int64(text)
        default: nil
        }
    }
}
