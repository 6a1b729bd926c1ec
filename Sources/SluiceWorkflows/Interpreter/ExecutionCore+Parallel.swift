import DequeModule
import OrderedCollections

/// Parallel steps: branches and iterations as threads, run in a fixed order so every run interleaves the same way.
extension ExecutionCore {
    /// The deepest nesting of parallel steps GCP allows.
    static let maximumParallelDepth = 2
    /// The most branches or iterations running at once in one parallel step.
    static let maximumConcurrency = 20

    func startParallel(_ t: Int, _ parallel: ParallelStep, scope: inout EvaluationScope) throws(EvaluationSignal) {
        guard s.threads[t].parallelDepth < Self.maximumParallelDepth else {
            throw .failure(
                .parallelNesting("parallel steps are nested deeper than \(Self.maximumParallelDepth) levels"))
        }
        var limit = Self.maximumConcurrency
        if let template = parallel.concurrencyLimit {
            guard case .int(let value) = try evaluate(template, scope: &scope), value > 0 else {
                throw .failure(.valueError("concurrency_limit must be a positive integer"))
            }
            limit = min(Int(value), Self.maximumConcurrency)
        }
        var work: Deque<BranchWork> = []
        switch parallel.work {
        case .branches(let branches):
            for branch in branches { work.append(BranchWork(name: branch.name, block: branch.block, bindings: [:])) }
        case .loop(let loop):
            var items: [WorkflowValue] = []
            switch loop.source {
            case .list(let template):
                switch try evaluate(template, scope: &scope) {
                case .list(let list): items = list
                case .map(let map): items = map.keys.map { .string($0) }
                case let other: throw .failure(.typeError("'in' must be a list, not \(other.typeName)"))
                }
            case .range(let template):
                guard case .list(let bounds) = try evaluate(template, scope: &scope), bounds.count == 2,
                    case .int(let start) = bounds[0], case .int(let end) = bounds[1]
                else { throw .failure(.typeError("'range' must be a list of two integers")) }
                if start <= end {
                    guard end - start < Int64(s.environment.maximumSteps) else {
                        throw .failure(.resourceLimit("parallel range is too large"))
                    }
                    items = (start...end).map { .int($0) }
                }
            }
            for (position, item) in items.enumerated() {
                var bindings = [loop.value: item]
                if let index = loop.index { bindings[index] = .int(Int64(position)) }
                work.append(BranchWork(name: "iteration \(position)", block: loop.body, bindings: bindings))
            }
        }
        let top = s.threads[t].frames.count - 1
        s.threads[t].frames[top].phase = .inChild
        var frame = Frame(kind: .parallel, routine: s.threads[t].frames[top].routine, env: scope.env)
        frame.parallel = ParallelState(queued: work, limit: limit, continueAll: parallel.continueAll)
        frame.parallel!.shared = parallel.shared
        s.threads[t].frames.append(frame)
        s.threads[t].status = .waiting
        startQueuedBranches(t)
    }

    /// Starts queued branches of the parallel frame on top of thread `t` up to its limit; finishes it when done.
    private func startQueuedBranches(_ t: Int) {
        let top = s.threads[t].frames.count - 1
        while s.threads[t].frames[top].parallel!.running < s.threads[t].frames[top].parallel!.limit,
            let work = s.threads[t].frames[top].parallel!.queued.popFirst()
        {
            let parentEnv = s.threads[t].frames[top].env
            let env = newEnv(
                Environment(
                    variables: VariableTable(work.bindings), parent: parentEnv, isBranch: true,
                    shared: s.threads[t].frames[top].parallel!.shared))
            var child = ThreadState(routine: s.threads[t].frames[top].routine)
            child.parent = t
            child.parallelDepth = s.threads[t].parallelDepth + 1
            child.ownedEnv = env
            child.callDepth = s.threads[t].callDepth
            child.frames.append(Frame(kind: .block, routine: child.routine, env: env, block: work.block))
            s.threads.append(child)
            let id = s.threads.count - 1
            s.threads[t].frames[top].parallel!.children.append(id)
            s.threads[t].frames[top].parallel!.running += 1
            s.runQueue.append(id)
        }
        let state = s.threads[t].frames[top].parallel!
        guard state.running == 0, state.queued.isEmpty else { return }
        s.threads[t].frames.removeLast()
        s.threads[t].status = .runnable
        s.runQueue.append(t)
        if state.errors.isEmpty {
            childCompleted(t)
        } else {
            s.threads[t].pendingError = .unhandledBranch(state.errors)
        }
    }

    /// A branch thread finished or failed; update its parallel step.
    func branchEnded(_ child: Int) {
        let t = s.threads[child].parent
        guard s.threads[t].status == .waiting, let top = s.threads[t].frames.indices.last,
            s.threads[t].frames[top].kind == .parallel
        else { return }
        s.threads[t].frames[top].parallel!.running -= 1
        if s.threads[child].status == .failed, let error = s.threads[child].error {
            if s.threads[t].frames[top].parallel!.continueAll {
                s.threads[t].frames[top].parallel!.errors.append(error.value)
            } else {
                let frame = s.threads[t].frames.removeLast()
                cancelChildren(of: frame)
                s.threads[t].status = .runnable
                s.threads[t].pendingError = error
                s.runQueue.append(t)
                return
            }
        }
        startQueuedBranches(t)
    }

    /// Stops every running branch of a parallel frame and their own branches, dropping their pending effects.
    func cancelChildren(of frame: Frame) {
        guard let state = frame.parallel else { return }
        var stack = state.children
        while let child = stack.popLast() {
            guard s.threads[child].status == .runnable || s.threads[child].status == .waiting else { continue }
            for f in s.threads[child].frames where f.kind == .parallel { stack += f.parallel?.children ?? [] }
            s.threads[child].status = .cancelled
            while !s.threads[child].frames.isEmpty { popFrame(child) }
            if s.threads[child].ownedEnv >= 0 {
                freeEnv(s.threads[child].ownedEnv)
                s.threads[child].ownedEnv = -1
            }
            for (id, pending) in s.pending where pending.thread == child { s.pending.removeValue(forKey: id) }
        }
    }
}
