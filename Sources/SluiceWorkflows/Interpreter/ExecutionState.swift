import DequeModule
import OrderedCollections

/// A scope of variables. Routines, loops and parallel branches each get one.
struct Environment: Codable, Sendable {
    var variables = VariableTable()
    /// The enclosing scope, or -1.
    var parent: Int = -1
    /// Set on a parallel branch's scope: writes reach past it only for names in `shared`.
    var isBranch = false
    var shared: [String] = []
}

/// What a frame is doing.
enum FrameKind: Int, Codable, Sendable {
    case routine, block, loop, tryStep, parallel
}

/// Where a frame's step is inside its own work.
enum FramePhase: Int, Codable, Sendable {
    case fresh, inChild, awaiting, predicate, backoff, handling
}

/// One frame of a thread's explicit stack.
struct Frame: Codable, Sendable {
    var kind: FrameKind
    var routine: String
    var env: Int
    /// Block frames: the block and the current step.
    var block = 0
    var index = 0
    /// Progress inside the current step (assignment number, switch case number).
    var sub = 0
    var phase = FramePhase.fresh
    /// Results of subworkflow and effect calls made by the current evaluation, in call order.
    var memo: [WorkflowValue] = []
    var loop: LoopState?
    var attempt: TryState?
    var parallel: ParallelState?
}

/// A `for` loop in progress.
struct LoopState: Codable, Sendable {
    var items: [WorkflowValue]
    var rangeStart: Int64 = 0
    var rangeEnd: Int64 = -1
    var isRange = false
    var position: Int64 = -1
    var valueName: String
    var indexName: String?
    var body: Int

    /// Iterations in all. A range wider than `Int64` counts as `Int64.max`: the step limit ends
    /// such a loop long before it would matter.
    var count: Int64 {
        guard isRange else { return Int64(items.count) }
        guard rangeEnd >= rangeStart else { return 0 }
        let (span, overflow) = rangeEnd.subtractingReportingOverflow(rangeStart)
        return overflow || span == .max ? .max : span + 1
    }
}

/// A `try` step in progress: which step, how many retries so far, and the error being handled.
struct TryState: Codable, Sendable {
    var block: Int
    var index: Int
    var retries: Int = 0
    var error: WorkflowError?
}

/// A parallel step waiting for its branches.
struct ParallelState: Codable, Sendable {
    var children: [Int] = []
    /// Work not started yet: branch blocks with the loop value and index for a parallel for.
    var queued: Deque<BranchWork> = []
    var running = 0
    var limit: Int
    var continueAll: Bool
    var errors: [WorkflowValue] = []
    var shared: [String] = []
}

/// One branch or iteration of a parallel step.
struct BranchWork: Codable, Sendable {
    var name: String
    var block: Int
    var bindings: [String: WorkflowValue]
}

/// How a thread stands.
enum ThreadStatus: Int, Codable, Sendable {
    case runnable, waiting, finished, failed, cancelled
}

/// A line of execution: the main workflow, or one parallel branch.
struct ThreadState: Codable, Sendable {
    var frames: [Frame] = []
    var status = ThreadStatus.runnable
    /// The thread waiting in a parallel frame for this one, or -1 for main.
    var parent: Int = -1
    var parallelDepth = 0
    var callDepth = 0
    var routine: String
    /// The branch's own scope, freed when it ends.
    var ownedEnv: Int = -1
    var pendingError: WorkflowError?
    var result: WorkflowValue = .null
    var error: WorkflowError?
}

/// Everything an execution is, so it can be snapshotted and resumed.
public struct ExecutionState: Codable, Sendable {
    var threads: [ThreadState] = []
    var envs: [Environment] = []
    var freeEnvs: [Int] = []
    var runQueue: Deque<Int> = []
    var pending: OrderedDictionary<String, PendingEffect> = [:]
    var effectCounter = 0
    var stepsExecuted = 0
    var outcome: Outcome?
    var environment: WorkflowEnvironment
    var progress: [StepProgress] = []
    var recordsProgress = false

    enum Outcome: Codable, Sendable {
        case finished(WorkflowValue)
        case failed(WorkflowError)
    }

    struct PendingEffect: Codable, Sendable {
        var thread: Int
        var request: EffectRequest
    }
}
