public import SluiceWorkflows

/// How a run of an execution ended, as `run` returns it.
public struct ExecutionOutcome: Sendable, Hashable {
    public var executionID: String
    public var ending: ExecutionHistory.Ending
    /// Effects performed live by this run (not taken from history or reused from a replayed run).
    public var effectsPerformed: Int
    /// Effects whose result this run took from the execution it replays.
    public var effectsReused: Int

    public var result: WorkflowValue? {
        if case .succeeded(let value) = ending { return value }
        return nil
    }

    public var error: WorkflowError? {
        if case .failed(let error) = ending { return error }
        return nil
    }
}
