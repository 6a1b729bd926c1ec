import OrderedCollections

/// What expressions in one step see: the step's scope and the results of calls already made.
struct EvaluationScope: ExpressionContext {
    unowned let core: ExecutionCore
    let env: Int
    let memo: [WorkflowValue]
    var cursor = 0

    func variable(_ name: String) -> WorkflowValue? { core.lookup(name, env: env) }

    mutating func callFunction(_ name: String, _ arguments: [WorkflowValue]) throws(EvaluationSignal)
        -> WorkflowValue
    {
        try core.invoke(name, named: nil, positional: arguments, scope: &self)
    }

    /// The recorded result of the next suspending call, if it already happened.
    mutating func takeMemo() -> WorkflowValue? {
        guard cursor < memo.count else { return nil }
        cursor += 1
        return memo[cursor - 1]
    }
}

/// Variables, templates and function calls.
extension ExecutionCore {
    func makeScope(_ t: Int) -> EvaluationScope {
        let top = s.threads[t].frames.count - 1
        return EvaluationScope(core: self, env: s.threads[t].frames[top].env, memo: s.threads[t].frames[top].memo)
    }

    func lookup(_ name: String, env: Int) -> WorkflowValue? {
        var e = env
        while e >= 0 {
            if let value = s.envs[e].variables[name] { return value }
            e = s.envs[e].parent
        }
        return nil
    }

    /// Assigns where the name already lives (not past a branch unless shared), else creates it in `env`.
    func setVariable(_ name: String, _ value: WorkflowValue, env: Int) {
        var e = env
        while e >= 0 {
            if s.envs[e].variables.update(name, value) { return }
            if s.envs[e].isBranch && !s.envs[e].shared.contains(name) { break }
            e = s.envs[e].parent
        }
        s.envs[env].variables[name] = value
    }

    /// Refuses a value nested too deep, too large or not JSON to store
    /// (``WorkflowValue/storageProblem(maximumBytes:)``) before it is stored, as an error the
    /// workflow can catch.
    func checkStorable(_ value: WorkflowValue) throws(EvaluationSignal) {
        guard let problem = value.storageProblem(maximumBytes: Limits.maximumValueBytes) else { return }
        throw .failure(problem)
    }

    func assign(_ assignment: Assignment, scope: inout EvaluationScope) throws(EvaluationSignal) {
        let value = try evaluate(assignment.value, scope: &scope)
        try checkStorable(value)
        if assignment.path.isEmpty {
            if case .string(let text) = value, text.utf8.count > Limits.maximumStringBytes {
                throw .failure(.resourceLimit("string of \(text.utf8.count) bytes exceeds the limit"))
            }
            setVariable(assignment.variable, value, env: scope.env)
            return
        }
        var keys: [WorkflowValue] = []
        for component in assignment.path {
            switch component {
            case .key(let key): keys.append(.string(key))
            case .index(let expression): keys.append(try ExpressionEvaluator.evaluate(expression, in: &scope))
            }
        }
        guard let root = lookup(assignment.variable, env: scope.env) else {
            throw .failure(.keyError("variable '\(assignment.variable)' is not defined"))
        }
        let updated = try ExpressionEvaluator.wrap { () throws(WorkflowError) in
            try Self.setting(root, keys[...], to: value)
        }
        try checkStorable(updated)
        setVariable(assignment.variable, updated, env: scope.env)
    }

    private static func setting(_ container: WorkflowValue, _ keys: ArraySlice<WorkflowValue>, to value: WorkflowValue)
        throws(WorkflowError) -> WorkflowValue
    {
        guard let key = keys.first else { return value }
        let rest = keys.dropFirst()
        switch (container, key) {
        case (.map(var map), .string(let name)):
            let child = map[name] ?? (rest.isEmpty ? .null : .map([:]))
            map[name] = try setting(child, rest, to: value)
            return .map(map)
        case (.null, .string(let name)):
            return .map([name: try setting(.map([:]), rest, to: value)])
        case (.list(var items), .int(let index)):
            guard index >= 0, index < items.count else { throw .indexError("list index \(index) out of range") }
            items[Int(index)] = try setting(items[Int(index)], rest, to: value)
            return .list(items)
        default:
            throw .typeError("cannot assign into a \(container.typeName) with a \(key.typeName) key")
        }
    }

    func evaluate(_ template: ValueTemplate, scope: inout EvaluationScope) throws(EvaluationSignal) -> WorkflowValue {
        switch template {
        case .literal(let value): return value
        case .expression(let expression): return try ExpressionEvaluator.evaluate(expression, in: &scope)
        case .list(let items):
            var values: [WorkflowValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item, scope: &scope)) }
            return .list(values)
        case .map(let entries):
            var map = OrderedDictionary<String, WorkflowValue>()
            for entry in entries {
                let key: String
                switch entry.key {
                case .text(let text): key = text
                case .expression(let expression):
                    guard case .string(let text) = try ExpressionEvaluator.evaluate(expression, in: &scope) else {
                        throw .failure(.typeError("map keys must be strings"))
                    }
                    key = text
                }
                map[key] = try evaluate(entry.value, scope: &scope)
            }
            return .map(map)
        }
    }

    /// Calls a subworkflow, an effect or a pure library function, with named or positional arguments.
    func invoke(
        _ name: String, named: OrderedDictionary<String, WorkflowValue>?, positional: [WorkflowValue]?,
        scope: inout EvaluationScope
    ) throws(EvaluationSignal) -> WorkflowValue {
        if let routine = definition.routines[name] {
            var arguments = named ?? [:]
            if let positional {
                guard positional.count <= routine.params.count else {
                    throw .failure(.typeError("subworkflow '\(name)' takes \(routine.params.count) arguments"))
                }
                for (param, value) in zip(routine.params, positional) { arguments[param.name] = value }
            }
            if let result = scope.takeMemo() { return result }
            throw .suspend(.subworkflow(name: name, arguments: arguments))
        }
        guard let function = StandardLibrary.function(named: name) else {
            guard name.hasPrefix("googleapis.") || name.hasPrefix("experimental.") else {
                throw .failure(.typeError("unknown function '\(name)'"))
            }
            if let result = scope.takeMemo() { return result }
            var arguments = named ?? [:]
            for (position, value) in (positional ?? []).enumerated() { arguments["arg\(position)"] = value }
            throw .suspend(.effect(function: name, arguments: arguments))
        }
        let arguments = try ExpressionEvaluator.wrap { () throws(WorkflowError) in
            .map(try function.bind(named: named, positional: positional))
        }
        guard case .map(let bound) = arguments else { preconditionFailure("bind returns a map") }
        switch function.body {
        case .effect:
            if let result = scope.takeMemo() { return result }
            throw .suspend(.effect(function: name, arguments: bound))
        case .pure(let body):
            let context = LibraryContext(environment: s.environment)
            return try ExpressionEvaluator.wrap { () throws(WorkflowError) in try body(Arguments(bound), context) }
        }
    }
}

/// Sizes the runtime enforces.
package enum Limits {
    /// The longest string a variable may hold.
    static let maximumStringBytes = 256 * 1024
    /// The largest value (as JSON) a variable or a result may hold. Workflows allows 512 KB for
    /// all of an execution's variables; one value may be larger here, but not so large that the
    /// events recording it pass the log's 4 MiB per event.
    package static let maximumValueBytes = 2 * 1024 * 1024
}
