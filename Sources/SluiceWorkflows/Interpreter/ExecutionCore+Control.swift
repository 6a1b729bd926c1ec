import OrderedCollections

/// Jumps, returns, errors and thread ends.
extension ExecutionCore {
    func perform(_ t: Int, _ jump: Jump) {
        switch jump {
        case .end:
            returnFromRoutine(t, value: .null)
        case .breakLoop, .continueLoop:
            while let frame = s.threads[t].frames.last, frame.kind != .loop {
                guard frame.kind != .routine else {
                    raise(t, .systemError("'next: \(jump == .breakLoop ? "break" : "continue")' outside a for loop"))
                    return
                }
                popFrame(t)
            }
            guard !s.threads[t].frames.isEmpty else {
                raise(t, .systemError("'next: break' or 'next: continue' outside a for loop"))
                return
            }
            if jump == .breakLoop {
                popFrame(t)
                childCompleted(t)
            }
        case .step(let name):
            while let frame = s.threads[t].frames.last {
                switch frame.kind {
                case .block:
                    if let position = definition.blocks[frame.block].positions[name] {
                        let top = s.threads[t].frames.count - 1
                        s.threads[t].frames[top].index = position
                        s.threads[t].frames[top].sub = 0
                        s.threads[t].frames[top].phase = .fresh
                        s.threads[t].frames[top].memo = []
                        return
                    }
                    popFrame(t)
                case .tryStep:
                    popFrame(t)
                default:
                    raise(t, .systemError("cannot jump to step '\(name)' from here"))
                    return
                }
            }
            raise(t, .systemError("step '\(name)' not found"))
        }
    }

    /// Ends the current routine with a value, delivering it to whoever called.
    func returnFromRoutine(_ t: Int, value: WorkflowValue) {
        while let frame = s.threads[t].frames.last, frame.kind != .routine {
            if frame.kind == .parallel { break }
            popFrame(t)
        }
        guard !s.threads[t].frames.isEmpty, s.threads[t].frames.last?.kind == .routine else {
            threadEnded(t, value: value)
            return
        }
        popFrame(t)
        guard !s.threads[t].frames.isEmpty else {
            threadEnded(t, value: value)
            return
        }
        let top = s.threads[t].frames.count - 1
        s.threads[t].frames[top].memo.append(value)
    }

    /// Raises an error in a thread, unwinding to the nearest try that handles it. Past the step
    /// limit no try handles anything: a handler or a retry would only run more steps, and a retry
    /// of the ResourceLimitError itself would run forever, so that error ends the execution.
    func raise(_ t: Int, _ error: WorkflowError) {
        let catchable = s.stepsExecuted <= s.environment.maximumSteps
        while let frame = s.threads[t].frames.last {
            if catchable, frame.kind == .tryStep, frame.phase == .inChild {
                catchError(t, error)
                return
            }
            if frame.kind == .parallel {
                cancelChildren(of: frame)
            }
            popFrame(t)
        }
        threadFailed(t, error)
    }

    func threadEnded(_ t: Int, value: WorkflowValue) {
        s.threads[t].status = .finished
        s.threads[t].result = value
        releaseThread(t)
        if s.threads[t].parent < 0 {
            s.outcome = .finished(value)
        } else {
            branchEnded(t)
        }
    }

    func threadFailed(_ t: Int, _ error: WorkflowError) {
        s.threads[t].status = .failed
        s.threads[t].error = error
        releaseThread(t)
        if s.threads[t].parent < 0 {
            s.outcome = .failed(error)
        } else {
            branchEnded(t)
        }
    }

    private func releaseThread(_ t: Int) {
        while !s.threads[t].frames.isEmpty { popFrame(t) }
        if s.threads[t].ownedEnv >= 0 {
            freeEnv(s.threads[t].ownedEnv)
            s.threads[t].ownedEnv = -1
        }
    }

    /// Counts a started step against the limit and records progress when the host asked for it.
    func countStep(_ t: Int, _ step: Step) -> Bool {
        s.stepsExecuted += 1
        if s.recordsProgress {
            s.progress.append(StepProgress(routine: s.threads[t].frames.last?.routine ?? "main", step: step.name))
        }
        return withinStepLimit(t)
    }

    /// Whether the steps counted so far are within the limit; if not, raises the ResourceLimitError.
    func withinStepLimit(_ t: Int) -> Bool {
        guard s.stepsExecuted > s.environment.maximumSteps else { return true }
        raise(t, .resourceLimit("ResourceLimitError: the execution ran more than \(s.environment.maximumSteps) steps"))
        return false
    }
}
