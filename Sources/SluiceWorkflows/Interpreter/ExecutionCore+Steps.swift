import OrderedCollections

/// Executing each kind of step from a block frame.
extension ExecutionCore {
    func execute(_ t: Int, _ step: Step) {
        let top = s.threads[t].frames.count - 1
        if s.threads[t].frames[top].phase == .fresh {
            guard countStep(t, step) else { return }
            s.threads[t].frames[top].phase = .handling
        }
        do throws(EvaluationSignal) {
            switch step.kind {
            case .assign(let assignments):
                var sub = s.threads[t].frames[top].sub
                while sub < assignments.count {
                    var scope = makeScope(t)
                    try assign(assignments[sub], scope: &scope)
                    sub += 1
                    s.threads[t].frames[top].sub = sub
                    if !s.threads[t].frames[top].memo.isEmpty { s.threads[t].frames[top].memo = [] }
                }
                stepDone(t, jump: step.next)
            case .call(let call):
                var scope = makeScope(t)
                var arguments = OrderedDictionary<String, WorkflowValue>()
                for argument in call.arguments {
                    arguments[argument.name] = try evaluate(argument.value, scope: &scope)
                }
                let value = try invoke(call.function, named: arguments, positional: nil, scope: &scope)
                if let result = call.result {
                    try checkStorable(value)
                    setVariable(result, value, env: scope.env)
                }
                stepDone(t, jump: step.next)
            case .switchStep(let cases):
                var scope = makeScope(t)
                for (position, entry) in cases.enumerated() {
                    guard case .bool(let matched) = try evaluate(entry.condition, scope: &scope) else {
                        throw .failure(.typeError("switch condition must evaluate to a boolean"))
                    }
                    guard matched else { continue }
                    s.threads[t].frames[top].sub = position
                    if let block = entry.block {
                        s.threads[t].frames[top].phase = .inChild
                        pushBlock(t, block: block, env: scope.env)
                    } else {
                        stepDone(t, jump: entry.next ?? step.next)
                    }
                    return
                }
                s.threads[t].frames[top].sub = cases.count
                stepDone(t, jump: step.next)
            case .forLoop(let loop):
                var scope = makeScope(t)
                let state = try loopState(loop, scope: &scope)
                let env = newEnv(Environment(parent: scope.env))
                s.threads[t].frames[top].phase = .inChild
                var frame = Frame(kind: .loop, routine: s.threads[t].frames[top].routine, env: env)
                frame.loop = state
                s.threads[t].frames.append(frame)
            case .parallel(let parallel):
                var scope = makeScope(t)
                try startParallel(t, parallel, scope: &scope)
            case .tryStep(let tryStep):
                let env = s.threads[t].frames[top].env
                s.threads[t].frames[top].phase = .inChild
                var frame = Frame(kind: .tryStep, routine: s.threads[t].frames[top].routine, env: env)
                frame.attempt = TryState(block: s.threads[t].frames[top].block, index: s.threads[t].frames[top].index)
                frame.phase = .inChild
                s.threads[t].frames.append(frame)
                pushBlock(t, block: tryStep.body, env: env)
            case .raise(let template):
                var scope = makeScope(t)
                let value = try evaluate(template, scope: &scope)
                raise(t, WorkflowError(raising: value))
            case .returnValue(let template):
                var scope = makeScope(t)
                let value = try evaluate(template, scope: &scope)
                try checkStorable(value)
                returnFromRoutine(t, value: value)
            case .steps(let block):
                s.threads[t].frames[top].phase = .inChild
                pushBlock(t, block: block, env: s.threads[t].frames[top].env)
            case .jumpOnly:
                stepDone(t, jump: step.next)
            }
        } catch {
            handle(t, error, step: step)
        }
    }

    /// Acts on an evaluation that stopped: raise the error, call the subworkflow, or ask the host for the effect.
    func handle(_ t: Int, _ signal: EvaluationSignal, step: Step) {
        switch signal {
        case .failure(let error):
            raise(t, error)
        case .suspend(.subworkflow(let name, let arguments)):
            callRoutine(t, name, arguments)
        case .suspend(.effect(let function, let arguments)):
            requestEffect(t, function: function, arguments: arguments, step: step.name, isRetryBackoff: false)
        }
    }

    func requestEffect(
        _ t: Int, function: String, arguments: OrderedDictionary<String, WorkflowValue>, step: String,
        isRetryBackoff: Bool
    ) {
        s.effectCounter += 1
        let id = "e\(s.effectCounter)"
        let routine = s.threads[t].frames.last?.routine ?? s.threads[t].routine
        let request = EffectRequest(
            id: id, function: function, arguments: arguments, routine: routine, step: step,
            isRetryBackoff: isRetryBackoff)
        s.pending[id] = .init(thread: t, request: request)
        s.threads[t].status = .waiting
    }

    func callRoutine(_ t: Int, _ name: String, _ arguments: OrderedDictionary<String, WorkflowValue>) {
        guard let routine = definition.routines[name] else {
            raise(t, .systemError("unknown subworkflow '\(name)'"))
            return
        }
        guard s.threads[t].callDepth < s.environment.maximumCallDepth else {
            raise(
                t, .recursion("RecursionError: maximum call stack depth of \(s.environment.maximumCallDepth) exceeded"))
            return
        }
        var env = Environment()
        for key in arguments.keys where !routine.params.contains(where: { $0.name == key }) {
            raise(t, .typeError("subworkflow '\(name)' got an unexpected argument '\(key)'"))
            return
        }
        for param in routine.params {
            if let value = arguments[param.name] {
                env.variables[param.name] = value
            } else if let fallback = param.defaultValue {
                var scope = EvaluationScope(core: self, env: -1, memo: [])
                do {
                    env.variables[param.name] = try evaluate(fallback, scope: &scope)
                } catch {
                    raise(t, .typeError("default of parameter '\(param.name)' cannot be computed"))
                    return
                }
            } else {
                raise(t, .typeError("subworkflow '\(name)' is missing required argument '\(param.name)'"))
                return
            }
        }
        let id = newEnv(env)
        s.threads[t].callDepth += 1
        s.threads[t].frames.append(Frame(kind: .routine, routine: name, env: id))
        s.threads[t].frames.append(Frame(kind: .block, routine: name, env: id, block: routine.body))
    }

    private func loopState(_ loop: ForLoop, scope: inout EvaluationScope) throws(EvaluationSignal) -> LoopState {
        var state = LoopState(items: [], valueName: loop.value, indexName: loop.index, body: loop.body)
        switch loop.source {
        case .list(let template):
            switch try evaluate(template, scope: &scope) {
            case .list(let items): state.items = items
            case .map(let map): state.items = map.keys.map { .string($0) }
            case let other: throw .failure(.typeError("'in' must be a list, not \(other.typeName)"))
            }
        case .range(let template):
            guard case .list(let bounds) = try evaluate(template, scope: &scope), bounds.count == 2 else {
                throw .failure(.typeError("'range' must be a list of two numbers"))
            }
            switch (bounds[0], bounds[1]) {
            case (.int(let start), .int(let end)):
                state.isRange = true
                state.rangeStart = start
                state.rangeEnd = end
            default:
                guard let start = bounds[0].numberValue, let end = bounds[1].numberValue else {
                    throw .failure(.typeError("'range' bounds must be numbers"))
                }
                var value = start
                while value <= end, state.items.count < s.environment.maximumSteps {
                    state.items.append(.double(value))
                    value += 1
                }
            }
        }
        return state
    }

    func nextIteration(_ t: Int) {
        let top = s.threads[t].frames.count - 1
        guard var loop = s.threads[t].frames[top].loop else { preconditionFailure("loop frame without loop state") }
        loop.position += 1
        guard loop.position < loop.count else {
            popFrame(t)
            childCompleted(t)
            return
        }
        let env = s.threads[t].frames[top].env
        let item = loop.isRange ? WorkflowValue.int(loop.rangeStart + loop.position) : loop.items[Int(loop.position)]
        s.envs[env].variables[loop.valueName] = item
        if let indexName = loop.indexName { s.envs[env].variables[indexName] = .int(loop.position) }
        s.threads[t].frames[top].loop!.position = loop.position
        pushBlock(t, block: loop.body, env: env)
    }

    /// Starts the next iteration by rewinding the finished body frame on top instead of popping and pushing one.
    /// Returns false when the loop is over, leaving the frames for the normal path.
    func restartLoopBody(_ t: Int, top: Int) -> Bool {
        let loopIndex = top - 1
        let position = s.threads[t].frames[loopIndex].loop!.position + 1
        guard position < s.threads[t].frames[loopIndex].loop!.count else { return false }
        s.threads[t].frames[loopIndex].loop!.position = position
        bindIteration(t, loopIndex: loopIndex, position: position)
        s.threads[t].frames[top].index = 0
        s.threads[t].frames[top].sub = 0
        s.threads[t].frames[top].phase = .fresh
        if !s.threads[t].frames[top].memo.isEmpty { s.threads[t].frames[top].memo = [] }
        return true
    }

    private func bindIteration(_ t: Int, loopIndex: Int, position: Int64) {
        let env = s.threads[t].frames[loopIndex].env
        let item: WorkflowValue =
            s.threads[t].frames[loopIndex].loop!.isRange
            ? .int(s.threads[t].frames[loopIndex].loop!.rangeStart + position)
            : s.threads[t].frames[loopIndex].loop!.items[Int(position)]
        s.envs[env].variables[s.threads[t].frames[loopIndex].loop!.valueName] = item
        if let indexName = s.threads[t].frames[loopIndex].loop!.indexName {
            s.envs[env].variables[indexName] = .int(position)
        }
    }
}
