public import SluiceLog
public import SluiceResources
public import SluiceWorkflows

/// An effect decided but not performed: what the workflow gets back, and the appends that perform
/// it once they are durable (see ``EffectPerformer/plan(_:context:)``).
public struct PlannedEffect: Sendable {
    /// The effect's result, as performing it would have returned.
    public var result: WorkflowValue
    /// Appended after the execution's own part, in one multi-stream append.
    public var parts: [StreamAppend]
    /// Called when that append lost a race on one of `parts`, so the next plan reads afresh.
    public var forget: @Sendable () -> Void
    /// What that append goes through when `parts` must not overlap something else (an upload, a
    /// delete of its bucket).
    public var admission: CommitAdmission?

    public init(
        result: WorkflowValue, parts: [StreamAppend], admission: CommitAdmission? = nil,
        forget: @escaping @Sendable () -> Void
    ) {
        self.result = result
        self.parts = parts
        self.admission = admission
        self.forget = forget
    }
}
