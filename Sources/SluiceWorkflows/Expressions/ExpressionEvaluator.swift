import OrderedCollections

/// Evaluates expressions with the documented semantics; short-circuits `and` / `or`.
enum ExpressionEvaluator {
    static func evaluate<Context: ExpressionContext>(
        _ expression: Expression, in context: inout Context
    ) throws(EvaluationSignal) -> WorkflowValue {
        switch expression {
        case .literal(let value):
            return value
        case .variable(let name):
            guard let value = context.variable(name) else {
                throw .failure(.keyError("variable '\(name)' is not defined"))
            }
            return value
        case .member(let base, let name):
            let container = try evaluate(base, in: &context)
            return try wrap { () throws(WorkflowError) in try Operators.member(container, name) }
        case .index(let base, let key):
            let container = try evaluate(base, in: &context)
            let keyValue = try evaluate(key, in: &context)
            return try wrap { () throws(WorkflowError) in try Operators.index(container, keyValue) }
        case .call(let function, let argumentExpressions):
            var arguments: [WorkflowValue] = []
            arguments.reserveCapacity(argumentExpressions.count)
            for argument in argumentExpressions { arguments.append(try evaluate(argument, in: &context)) }
            return try context.callFunction(function, arguments)
        case .negate(let inner):
            let value = try evaluate(inner, in: &context)
            return try wrap { () throws(WorkflowError) in try Operators.negate(value) }
        case .not(let inner):
            guard case .bool(let b) = try evaluate(inner, in: &context) else {
                throw .failure(.typeError("operand of 'not' must be a boolean"))
            }
            return .bool(!b)
        case .and(let lhs, let rhs):
            guard case .bool(let left) = try evaluate(lhs, in: &context) else {
                throw .failure(.typeError("operands of 'and' must be booleans"))
            }
            if !left { return .bool(false) }
            guard case .bool(let right) = try evaluate(rhs, in: &context) else {
                throw .failure(.typeError("operands of 'and' must be booleans"))
            }
            return .bool(right)
        case .or(let lhs, let rhs):
            guard case .bool(let left) = try evaluate(lhs, in: &context) else {
                throw .failure(.typeError("operands of 'or' must be booleans"))
            }
            if left { return .bool(true) }
            guard case .bool(let right) = try evaluate(rhs, in: &context) else {
                throw .failure(.typeError("operands of 'or' must be booleans"))
            }
            return .bool(right)
        case .binary(let op, let lhs, let rhs):
            let left = try evaluate(lhs, in: &context)
            let right = try evaluate(rhs, in: &context)
            return try wrap { () throws(WorkflowError) in try Operators.binary(op, left, right) }
        case .list(let items):
            var values: [WorkflowValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item, in: &context)) }
            return .list(values)
        case .map(let entries):
            var map = OrderedDictionary<String, WorkflowValue>()
            for entry in entries {
                guard case .string(let key) = try evaluate(entry.key, in: &context) else {
                    throw .failure(.typeError("map keys must be strings"))
                }
                map[key] = try evaluate(entry.value, in: &context)
            }
            return .map(map)
        }
    }

    @inline(__always)
    static func wrap(_ body: () throws(WorkflowError) -> WorkflowValue) throws(EvaluationSignal) -> WorkflowValue {
        do {
            return try body()
        } catch {
            throw .failure(error)
        }
    }
}
