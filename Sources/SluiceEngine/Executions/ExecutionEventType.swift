/// The event types of an execution's stream, `execution/ID`, in the order they can occur.
public enum ExecutionEventType {
    /// The execution exists: workflow, revision, argument, and what it replays, if anything.
    public static let started = "execution.started"
    /// Steps the interpreter started since the previous event, as GCP's step entries.
    public static let stepsStarted = "execution.steps_started"
    /// An effect is about to be performed; written before it is, so a crash re-performs it with
    /// the same idempotency key instead of forgetting it.
    public static let effectRequested = "effect.requested"
    /// An effect's result; every later replay of the execution reuses it.
    public static let effectCompleted = "effect.completed"
    /// An effect's error, delivered to the workflow like the live error was.
    public static let effectFailed = "effect.failed"
    /// The workflow returned a result.
    public static let succeeded = "execution.succeeded"
    /// The workflow raised an error nothing caught.
    public static let failed = "execution.failed"
    /// Someone cancelled the execution, with a reason.
    public static let cancelled = "execution.cancelled"
    /// A restarted engine is about to run the execution on from its history. Several in a row
    /// with nothing between mean each run stopped the process before it got anywhere: see
    /// ``ExecutionRunner/resumptionsWithoutProgressLimit``.
    public static let resumed = "execution.resumed"
}
