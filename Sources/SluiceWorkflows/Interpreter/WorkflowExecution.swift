import OrderedCollections

/// One run of a workflow: a deterministic state machine that asks its host for effects.
///
///     var execution = WorkflowExecution(definition: definition, argument: argument)
///     while case .effects(let requests) = execution.advance() {
///         for request in requests { execution.complete(effectID: request.id, with: perform(request)) }
///     }
///
/// Driven by the same effect results, it always reaches the same state and result.
public struct WorkflowExecution: @unchecked Sendable {
    // @unchecked: `core` is a class, but every mutating entry point copies it first unless this value holds the
    // only reference (copy-on-write), so no two values ever share a core that is being mutated.
    private var core: ExecutionCore

    /// The definition this execution runs.
    public var definition: WorkflowDefinition { core.definition }

    /// Starts an execution of `main` with the argument (null when none).
    public init(
        definition: WorkflowDefinition, argument: WorkflowValue = .null, environment: WorkflowEnvironment = .init()
    ) {
        core = ExecutionCore(definition: definition, argument: argument, environment: environment)
    }

    /// Resumes an execution from a snapshot taken with ``snapshot``.
    public init(definition: WorkflowDefinition, restoring snapshot: ExecutionState) {
        core = ExecutionCore(definition: definition, state: snapshot)
    }

    /// The whole state, Codable, so a host can persist it and resume later.
    public var snapshot: ExecutionState { core.s }

    /// Whether started steps are collected for ``takeStepProgress()`` (off by default for speed).
    public var recordsStepProgress: Bool {
        get { core.s.recordsProgress }
        set {
            makeUnique()
            core.s.recordsProgress = newValue
        }
    }

    /// Runs every runnable thread until the execution ends or waits for effects.
    public mutating func advance() -> ExecutionProgress {
        makeUnique()
        return core.advance()
    }

    /// Delivers the result of an effect; unknown or cancelled ids are ignored.
    public mutating func complete(effectID: String, with result: Result<WorkflowValue, WorkflowError>) {
        makeUnique()
        core.complete(effectID: effectID, with: result)
    }

    /// Effects requested and not completed yet, oldest first.
    public var pendingEffects: [EffectRequest] { core.s.pending.values.map(\.request) }

    /// The steps currently running, one per live thread, like GCP's `status.currentSteps`.
    public var currentSteps: [StepProgress] {
        core.s.threads.compactMap { thread in
            guard thread.status == .runnable || thread.status == .waiting else { return nil }
            guard let frame = thread.frames.last(where: { $0.kind == .block }) else { return nil }
            let steps = core.definition.blocks[frame.block].steps
            guard frame.index < steps.count else { return nil }
            return StepProgress(routine: frame.routine, step: steps[frame.index].name)
        }
    }

    /// Steps started since the last call, in order (only while ``recordsStepProgress`` is on).
    public mutating func takeStepProgress() -> [StepProgress] {
        makeUnique()
        defer { core.s.progress = [] }
        return core.s.progress
    }

    /// Steps executed so far, retries included.
    public var stepsExecuted: Int { core.s.stepsExecuted }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&core) {
            core = ExecutionCore(definition: core.definition, state: core.s)
        }
    }
}
