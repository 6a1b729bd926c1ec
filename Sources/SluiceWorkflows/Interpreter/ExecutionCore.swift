import DequeModule
import OrderedCollections

/// The interpreter's machinery: one explicit stack per thread, a FIFO run queue, no Swift recursion for
/// workflow nesting. Owned by ``WorkflowExecution``, which copies it before mutating a shared instance.
final class ExecutionCore {
    let definition: WorkflowDefinition
    // Unchecked: the core runs on one thread at a time and no access to `s` overlaps another, so the dynamic
    // exclusivity checks (a large share of the interpreter loop) buy nothing here.
    @exclusivity(unchecked) var s: ExecutionState

    init(definition: WorkflowDefinition, state: ExecutionState) {
        self.definition = definition
        self.s = state
    }

    init(definition: WorkflowDefinition, argument: WorkflowValue, environment: WorkflowEnvironment) {
        self.definition = definition
        self.s = ExecutionState(environment: environment)
        guard let main = definition.routines["main"] else {
            preconditionFailure("a validated definition always has main")
        }
        let env = newEnv(Environment())
        if let param = main.params.first {
            var value = argument
            if value == .null, let fallback = param.defaultValue, case .literal(let literal) = fallback {
                value = literal
            }
            s.envs[env].variables[param.name] = value
        }
        var thread = ThreadState(routine: "main")
        thread.frames.append(Frame(kind: .routine, routine: "main", env: env))
        thread.frames.append(Frame(kind: .block, routine: "main", env: env, block: main.body))
        s.threads.append(thread)
        s.runQueue.append(0)
    }

    // MARK: Scheduling

    func advance() -> ExecutionProgress {
        while s.outcome == nil, let thread = s.runQueue.popFirst() {
            run(thread)
        }
        switch s.outcome {
        case .finished(let value)?: return .finished(value)
        case .failed(let error)?: return .failed(error)
        case nil:
            if s.pending.isEmpty {
                return .failed(.systemError("the execution is stuck: no runnable thread and no pending effect"))
            }
            return .effects(s.pending.values.map(\.request))
        }
    }

    func complete(effectID: String, with result: Result<WorkflowValue, WorkflowError>) {
        guard let pending = s.pending.removeValue(forKey: effectID) else { return }
        let t = pending.thread
        guard s.threads[t].status == .waiting else { return }
        switch result {
        case .success(let value):
            let top = s.threads[t].frames.count - 1
            s.threads[t].frames[top].memo.append(value)
        case .failure(let error):
            s.threads[t].pendingError = error
        }
        s.threads[t].status = .runnable
        s.runQueue.append(t)
    }

    /// Runs one thread until it waits, ends, or the execution ends.
    private func run(_ t: Int) {
        guard s.threads[t].status == .runnable else { return }
        if let error = s.threads[t].pendingError {
            s.threads[t].pendingError = nil
            raise(t, error)
        }
        while s.outcome == nil, s.threads[t].status == .runnable {
            step(t)
        }
    }

    /// Executes one instruction of a thread: whatever its top frame does next.
    private func step(_ t: Int) {
        let top = s.threads[t].frames.count - 1
        guard top >= 0 else {
            threadEnded(t, value: .null)
            return
        }
        switch s.threads[t].frames[top].kind {
        case .block:
            let block = s.threads[t].frames[top].block
            let index = s.threads[t].frames[top].index
            let steps = definition.blocks[block].steps
            if index >= steps.count {
                if top > 0, s.threads[t].frames[top - 1].kind == .loop, restartLoopBody(t, top: top) { return }
                popFrame(t)
                childCompleted(t)
            } else {
                execute(t, steps[index])
            }
        case .loop: nextIteration(t)
        case .tryStep: resumeTry(t)
        case .routine: returnFromRoutine(t, value: .null)
        case .parallel: s.threads[t].status = .waiting
        }
    }

    // MARK: Frames

    func newEnv(_ env: Environment) -> Int {
        if let free = s.freeEnvs.popLast() {
            s.envs[free] = env
            return free
        }
        s.envs.append(env)
        return s.envs.count - 1
    }

    func freeEnv(_ id: Int) {
        s.envs[id] = Environment()
        s.freeEnvs.append(id)
    }

    /// Pops the top frame, freeing the scope it owns.
    func popFrame(_ t: Int) {
        let frame = s.threads[t].frames.removeLast()
        switch frame.kind {
        case .routine:
            s.threads[t].callDepth -= 1
            freeEnv(frame.env)
        case .loop:
            freeEnv(frame.env)
        default: break
        }
    }

    /// The frame below the top finished its child normally.
    func childCompleted(_ t: Int) {
        let top = s.threads[t].frames.count - 1
        guard top >= 0 else {
            threadEnded(t, value: .null)
            return
        }
        switch s.threads[t].frames[top].kind {
        case .block:
            let frame = s.threads[t].frames[top]
            let step = definition.blocks[frame.block].steps[frame.index]
            var jump = step.next
            if case .switchStep(let cases) = step.kind, frame.sub < cases.count, let caseJump = cases[frame.sub].next {
                jump = caseJump
            }
            stepDone(t, jump: jump)
        case .loop: break
        case .tryStep:
            popFrame(t)
            childCompleted(t)
        case .routine:
            returnFromRoutine(t, value: .null)
        case .parallel: break
        }
    }

    /// Finishes the current step of the top block frame and moves on.
    func stepDone(_ t: Int, jump: Jump?) {
        let top = s.threads[t].frames.count - 1
        if let jump {
            perform(t, jump)
            return
        }
        s.threads[t].frames[top].index += 1
        s.threads[t].frames[top].sub = 0
        s.threads[t].frames[top].phase = .fresh
        if !s.threads[t].frames[top].memo.isEmpty { s.threads[t].frames[top].memo = [] }
    }

    func pushBlock(_ t: Int, block: Int, env: Int) {
        let routine = s.threads[t].frames.last?.routine ?? s.threads[t].routine
        s.threads[t].frames.append(Frame(kind: .block, routine: routine, env: env, block: block))
    }
}
