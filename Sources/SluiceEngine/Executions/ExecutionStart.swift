public import SluiceWorkflows

/// What `execution.started` records: everything needed to run the execution from scratch.
public struct ExecutionStart: Sendable, Hashable {
    /// The workflow's name.
    public var workflow: String
    /// The revision the execution is pinned to.
    public var revision: Int64
    /// The argument `main` receives.
    public var argument: WorkflowValue
    /// The failed execution whose recorded effect results this one reuses, if it is a replay.
    public var replayOf: String?
    /// With `replayOf`: effects requested at or after this step run live even when they match.
    public var liveFromStep: String?
    /// How many executions wait, each in an `executions.run` call, for this one to end: 0 for
    /// one started any other way. Bounded by ``ExecutionsConnector/maximumRunNesting``.
    public var runNesting = 0
    /// The labels the execution was created with, as the Executions API's `labels`.
    public var labels: [String: String] = [:]

    public init(
        workflow: String, revision: Int64, argument: WorkflowValue, replayOf: String? = nil, liveFromStep: String? = nil
    ) {
        self.workflow = workflow
        self.revision = revision
        self.argument = argument
        self.replayOf = replayOf
        self.liveFromStep = liveFromStep
    }
}
