import OrderedCollections

/// A standard library function: its parameter names (for named and positional calls) and what it does.
struct LibraryFunction: Sendable {
    enum Body: Sendable {
        /// Deterministic: computed in place, also inside expressions.
        case pure(@Sendable (Arguments, LibraryContext) throws(WorkflowError) -> WorkflowValue)
        /// Non-deterministic or blocking: handed to the host as an ``EffectRequest``.
        case effect
    }

    let name: String
    let params: [String]
    let required: Int
    let body: Body

    /// Puts named or positional arguments under their parameter names; TypeError on unknown or missing ones.
    func bind(named: OrderedDictionary<String, WorkflowValue>?, positional: [WorkflowValue]?) throws(WorkflowError)
        -> OrderedDictionary<String, WorkflowValue>
    {
        var bound = OrderedDictionary<String, WorkflowValue>()
        if let named {
            for (key, value) in named {
                guard params.contains(key) else { throw .typeError("\(name): unexpected argument '\(key)'") }
                bound[key] = value
            }
        }
        if let positional {
            guard positional.count <= params.count else {
                throw .typeError("\(name) takes at most \(params.count) arguments, got \(positional.count)")
            }
            for (param, value) in zip(params, positional) { bound[param] = value }
        }
        for param in params.prefix(required) where bound[param] == nil {
            throw .typeError("\(name): missing required argument '\(param)'")
        }
        return bound
    }
}

/// What pure functions may read besides their arguments.
struct LibraryContext: Sendable {
    let environment: WorkflowEnvironment
}

/// Bound arguments with typed accessors that raise the documented errors.
struct Arguments: Sendable {
    let values: OrderedDictionary<String, WorkflowValue>

    init(_ values: OrderedDictionary<String, WorkflowValue>) { self.values = values }

    subscript(_ name: String) -> WorkflowValue? { values[name] }

    func value(_ name: String) -> WorkflowValue { values[name] ?? .null }

    func string(_ name: String) throws(WorkflowError) -> String {
        guard case .string(let text)? = values[name] else {
            throw .typeError("argument '\(name)' must be a string, not \(value(name).typeName)")
        }
        return text
    }

    func int(_ name: String) throws(WorkflowError) -> Int64 {
        switch values[name] {
        case .int(let i)?: return i
        case .double(let d)? where d == d.rounded() && abs(d) < 9e18: return Int64(d)
        default: throw .typeError("argument '\(name)' must be an integer, not \(value(name).typeName)")
        }
    }

    func number(_ name: String) throws(WorkflowError) -> Double {
        guard let number = values[name]?.numberValue else {
            throw .typeError("argument '\(name)' must be a number, not \(value(name).typeName)")
        }
        return number
    }

    func list(_ name: String) throws(WorkflowError) -> [WorkflowValue] {
        guard case .list(let items)? = values[name] else {
            throw .typeError("argument '\(name)' must be a list, not \(value(name).typeName)")
        }
        return items
    }

    func map(_ name: String) throws(WorkflowError) -> OrderedDictionary<String, WorkflowValue> {
        guard case .map(let map)? = values[name] else {
            throw .typeError("argument '\(name)' must be a map, not \(value(name).typeName)")
        }
        return map
    }

    func bytes(_ name: String) throws(WorkflowError) -> [UInt8] {
        guard case .bytes(let bytes)? = values[name] else {
            throw .typeError("argument '\(name)' must be bytes, not \(value(name).typeName)")
        }
        return bytes
    }
}

extension LibraryFunction {
    static func pure(
        _ name: String, _ params: [String], required: Int? = nil,
        _ body: @escaping @Sendable (Arguments, LibraryContext) throws(WorkflowError) -> WorkflowValue
    ) -> LibraryFunction {
        LibraryFunction(name: name, params: params, required: required ?? params.count, body: .pure(body))
    }

    static func effect(_ name: String, _ params: [String], required: Int = 0) -> LibraryFunction {
        LibraryFunction(name: name, params: params, required: required, body: .effect)
    }
}
