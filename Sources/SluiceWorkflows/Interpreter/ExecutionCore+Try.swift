import OrderedCollections

/// try / retry / except.
extension ExecutionCore {
    private func tryStep(of frame: Frame) -> (Step, TryStep) {
        guard let state = frame.attempt else { preconditionFailure("try frame without state") }
        let step = definition.blocks[state.block].steps[state.index]
        guard case .tryStep(let tryStep) = step.kind else { preconditionFailure("try frame on a non-try step") }
        return (step, tryStep)
    }

    /// The top frame is a try whose body raised `error`.
    func catchError(_ t: Int, _ error: WorkflowError) {
        let top = s.threads[t].frames.count - 1
        let frame = s.threads[t].frames[top]
        let (step, tryStep) = tryStep(of: frame)
        s.threads[t].frames[top].attempt!.error = error
        s.threads[t].frames[top].memo = []
        guard let retry = tryStep.retry else {
            goExcept(t)
            return
        }
        var scope = makeScope(t)
        let maxRetries: Int64
        do throws(EvaluationSignal) {
            guard case .int(let value) = try evaluate(retry.maxRetries, scope: &scope) else {
                throw EvaluationSignal.failure(.typeError("max_retries must be an integer"))
            }
            maxRetries = value
        } catch {
            popFrame(t)
            if case .failure(let failure) = error { raise(t, failure) } else { raise(t, error: step) }
            return
        }
        guard Int64(frame.attempt!.retries) < maxRetries else {
            goExcept(t)
            return
        }
        switch retry.predicate {
        case .builtin(let name):
            decideRetry(t, retry: RetryPredicates.evaluate(name, error.value))
        case .subworkflow(let name):
            s.threads[t].frames[top].phase = .predicate
            let param = definition.routines[name]?.params.first?.name ?? "e"
            callRoutine(t, name, [param: error.value])
        }
    }

    private func raise(_ t: Int, error step: Step) {
        raise(t, .systemError("retry settings of step '\(step.name)' call functions that need the host"))
    }

    /// Called when a try frame is on top and runnable: a predicate returned, or a backoff sleep ended.
    func resumeTry(_ t: Int) {
        let top = s.threads[t].frames.count - 1
        switch s.threads[t].frames[top].phase {
        case .predicate:
            let memo = s.threads[t].frames[top].memo
            s.threads[t].frames[top].memo = []
            guard case .bool(let retry)? = memo.last else {
                popFrame(t)
                raise(t, .typeError("retry predicate must return a boolean"))
                return
            }
            decideRetry(t, retry: retry)
        case .backoff:
            s.threads[t].frames[top].memo = []
            s.threads[t].frames[top].phase = .inChild
            s.threads[t].frames[top].attempt!.error = nil
            let (_, tryStep) = tryStep(of: s.threads[t].frames[top])
            pushBlock(t, block: tryStep.body, env: s.threads[t].frames[top].env)
        default:
            preconditionFailure("try frame resumed in phase \(s.threads[t].frames[top].phase)")
        }
    }

    private func decideRetry(_ t: Int, retry: Bool) {
        guard retry else {
            goExcept(t)
            return
        }
        // Each retry attempt is a step, as in Google's accounting: a retry loop with a tiny
        // backoff must reach the step limit like any other loop.
        s.stepsExecuted += 1
        guard withinStepLimit(t) else { return }
        let top = s.threads[t].frames.count - 1
        let (step, tryStep) = tryStep(of: s.threads[t].frames[top])
        guard let policy = tryStep.retry else { preconditionFailure("retry without a policy") }
        var scope = makeScope(t)
        let numbers: [Double]
        do throws(EvaluationSignal) {
            numbers = try [policy.initialDelay, policy.maxDelay, policy.multiplier].map {
                template throws(EvaluationSignal) in
                guard let number = try evaluate(template, scope: &scope).numberValue else {
                    throw EvaluationSignal.failure(.typeError("backoff settings must be numbers"))
                }
                return number
            }
        } catch {
            popFrame(t)
            if case .failure(let failure) = error { raise(t, failure) } else { raise(t, error: step) }
            return
        }
        s.threads[t].frames[top].attempt!.retries += 1
        let retries = s.threads[t].frames[top].attempt!.retries
        var delay = numbers[0]
        for _ in 1..<max(1, retries) { delay *= numbers[2] }
        delay = min(delay, numbers[1])
        s.threads[t].frames[top].phase = .backoff
        requestEffect(
            t, function: "sys.sleep", arguments: ["seconds": .double(delay)], step: step.name, isRetryBackoff: true)
    }

    private func goExcept(_ t: Int) {
        let top = s.threads[t].frames.count - 1
        let frame = s.threads[t].frames[top]
        let (_, tryStep) = tryStep(of: frame)
        guard let error = frame.attempt?.error else { preconditionFailure("except without an error") }
        guard let block = tryStep.exceptBlock else {
            popFrame(t)
            raise(t, error)
            return
        }
        s.threads[t].frames[top].phase = .handling
        if let name = tryStep.exceptAs { setVariable(name, error.value, env: frame.env) }
        pushBlock(t, block: block, env: frame.env)
    }
}

/// The builtin retry predicates.
enum RetryPredicates {
    static func evaluate(_ name: String, _ error: WorkflowValue) -> Bool {
        let tags = Set((error["tags"]?.listValue ?? []).compactMap(\.stringValue))
        let code: Int64? = if case .int(let c)? = error["code"] { c } else { nil }
        switch name {
        case "retry.always": return true
        case "retry.never": return false
        case "http.default_retry_predicate_non_idempotent":
            return [429, 503].contains(code ?? 0) || tags.contains("ConnectionFailedError")
        default:
            return [429, 502, 503, 504].contains(code ?? 0)
                || !tags.isDisjoint(with: ["ConnectionError", "ConnectionFailedError", "TimeoutError"])
        }
    }
}
