public import SluiceWorkflows

/// Performs one effect a workflow asked for. Implementations never throw: a failure is a
/// `WorkflowError` the workflow can catch, exactly as GCP would raise it.
public protocol EffectPerformer: Sendable {
    func perform(_ request: EffectRequest, context: EffectContext) async -> Result<WorkflowValue, WorkflowError>

    /// Whether performing `request` again after a crash, with the same idempotency key, changes
    /// nothing outside the execution (a read, a keyed write, an in-process model). The runner
    /// then records such an effect with the next event it must append anyway, instead of before
    /// and after performing it, and simply performs it again if it crashes in between.
    func isReplaySafe(_ request: EffectRequest) async -> Bool

    /// Decides `request` without performing it, when it is a write to the log itself (a storage
    /// insert): the runner then appends the write in the same step as the execution's own
    /// progress, so the write and its record become durable together. Nil when the effect must be
    /// performed (or cannot be decided; performing it then reports why).
    func plan(_ request: EffectRequest, context: EffectContext) async -> PlannedEffect?
}

extension EffectPerformer {
    /// Effects are recorded before they run unless the performer says otherwise.
    public func isReplaySafe(_ request: EffectRequest) async -> Bool { false }

    /// Effects are performed unless the performer can plan them.
    public func plan(_ request: EffectRequest, context: EffectContext) async -> PlannedEffect? { nil }
}

/// What a performer knows about the effect beyond its arguments.
public struct EffectContext: Sendable, Hashable {
    /// The execution that asked.
    public var executionID: String
    /// The workflow and revision it runs.
    public var workflow: String
    public var revision: Int64
    /// Stable across re-performances after a crash: `EXECUTION/EFFECT`. Outside calls send it as
    /// the `Idempotency-Key` header; local adapters honour it.
    public var idempotencyKey: String
    /// When the effect was first requested, microseconds since the epoch: a sleep resumed after a
    /// restart ends when it would have ended without the restart.
    public var requestedAt: Int64
    /// The journey the execution belongs to: what the effect records (a stored object, a
    /// published message) carries it on, so `sluice trace` of an upload shows its result too.
    public var correlationID: String?

    public init(
        executionID: String, workflow: String, revision: Int64, idempotencyKey: String, requestedAt: Int64,
        correlationID: String? = nil
    ) {
        self.executionID = executionID
        self.workflow = workflow
        self.revision = revision
        self.idempotencyKey = idempotencyKey
        self.requestedAt = requestedAt
        self.correlationID = correlationID
    }
}
