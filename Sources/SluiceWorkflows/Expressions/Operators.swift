import OrderedCollections

/// The operators' semantics: 64-bit ints that fail on overflow, doubles, string concatenation, deep equality.
enum Operators {
    static func member(_ container: WorkflowValue, _ name: String) throws(WorkflowError) -> WorkflowValue {
        guard case .map(let map) = container else {
            throw .typeError("cannot read key '\(name)' of a \(container.typeName)")
        }
        guard let value = map[name] else { throw .keyError("key not found: \(name)") }
        return value
    }

    static func index(_ container: WorkflowValue, _ key: WorkflowValue) throws(WorkflowError) -> WorkflowValue {
        switch (container, key) {
        case (.list(let items), .int(let i)):
            guard i >= 0, i < items.count else { throw .indexError("list index \(i) out of range") }
            return items[Int(i)]
        case (.list, _):
            throw .typeError("list indices must be integers, not \(key.typeName)")
        case (.map(let map), .string(let name)):
            guard let value = map[name] else { throw .keyError("key not found: \(name)") }
            return value
        case (.map, _):
            throw .typeError("map keys must be strings, not \(key.typeName)")
        default:
            throw .typeError("a \(container.typeName) cannot be indexed")
        }
    }

    static func negate(_ value: WorkflowValue) throws(WorkflowError) -> WorkflowValue {
        switch value {
        case .int(let i):
            let (result, overflow) = Int64(0).subtractingReportingOverflow(i)
            if overflow { throw .valueError("integer overflow") }
            return .int(result)
        case .double(let d): return .double(-d)
        default: throw .typeError("unary '-' needs a number, not \(value.typeName)")
        }
    }

    static func binary(
        _ op: Expression.BinaryOperator, _ lhs: WorkflowValue, _ rhs: WorkflowValue
    ) throws(WorkflowError) -> WorkflowValue {
        switch op {
        case .add: return try add(lhs, rhs)
        case .subtract, .multiply, .divide, .floorDivide, .remainder: return try arithmetic(op, lhs, rhs)
        case .equal: return .bool(equal(lhs, rhs))
        case .notEqual: return .bool(!equal(lhs, rhs))
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return .bool(try compare(op, lhs, rhs))
        case .contains: return .bool(try contains(rhs, lhs))
        }
    }

    static func add(_ lhs: WorkflowValue, _ rhs: WorkflowValue) throws(WorkflowError) -> WorkflowValue {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)):
            let (sum, overflow) = a.addingReportingOverflow(b)
            if overflow { throw .valueError("integer overflow in \(a) + \(b)") }
            return .int(sum)
        case (.string(let a), .string(let b)):
            guard a.utf8.count + b.utf8.count <= Limits.maximumStringBytes else {
                throw .resourceLimit("string longer than \(Limits.maximumStringBytes) bytes")
            }
            return .string(a + b)
        default:
            guard let a = lhs.numberValue, let b = rhs.numberValue else {
                throw .typeError("unsupported operand types for +: \(lhs.typeName) and \(rhs.typeName)")
            }
            return .double(a + b)
        }
    }

    private static func arithmetic(
        _ op: Expression.BinaryOperator, _ lhs: WorkflowValue, _ rhs: WorkflowValue
    ) throws(WorkflowError) -> WorkflowValue {
        if case .int(let a) = lhs, case .int(let b) = rhs, op != .divide {
            return try integerArithmetic(op, a, b)
        }
        guard let a = lhs.numberValue, let b = rhs.numberValue else {
            throw .typeError("unsupported operand types for \(op.rawValue): \(lhs.typeName) and \(rhs.typeName)")
        }
        switch op {
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide:
            guard b != 0 else { throw .zeroDivision("division by zero") }
            return .double(a / b)
        case .floorDivide:
            guard b != 0 else { throw .zeroDivision("integer division by zero") }
            return .double((a / b).rounded(.down))
        default:
            guard b != 0 else { throw .zeroDivision("modulo by zero") }
            let r = a.truncatingRemainder(dividingBy: b)
            return .double(r != 0 && (r < 0) != (b < 0) ? r + b : r)
        }
    }

    private static func integerArithmetic(
        _ op: Expression.BinaryOperator, _ a: Int64, _ b: Int64
    ) throws(WorkflowError) -> WorkflowValue {
        let result: (partialValue: Int64, overflow: Bool)
        switch op {
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .floorDivide:
            guard b != 0 else { throw .zeroDivision("integer division by zero") }
            let (q, overflow) = a.dividedReportingOverflow(by: b)
            if overflow { throw .valueError("integer overflow in \(a) // \(b)") }
            return .int((a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q)
        default:
            guard b != 0 else { throw .zeroDivision("modulo by zero") }
            if b == -1 { return .int(0) }
            let r = a % b
            return .int(r != 0 && (r < 0) != (b < 0) ? r + b : r)
        }
        if result.overflow { throw .valueError("integer overflow in \(a) \(op.rawValue) \(b)") }
        return .int(result.partialValue)
    }

    /// Deep equality where ints and doubles compare by value and other types never equal each other.
    static func equal(_ lhs: WorkflowValue, _ rhs: WorkflowValue) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b
        case (.int, .double), (.double, .int), (.double, .double): return lhs.numberValue == rhs.numberValue
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let other = b[key], equal(value, other) else { return false }
            }
            return true
        default: return lhs == rhs
        }
    }

    private static func compare(
        _ op: Expression.BinaryOperator, _ lhs: WorkflowValue, _ rhs: WorkflowValue
    ) throws(WorkflowError) -> Bool {
        let order: Int
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): order = a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)):
            order = a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : (a == b ? 0 : 1)
        default:
            guard let a = lhs.numberValue, let b = rhs.numberValue else {
                throw .typeError("cannot compare \(lhs.typeName) with \(rhs.typeName) using \(op.rawValue)")
            }
            order = a < b ? -1 : (a == b ? 0 : 1)
        }
        switch op {
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        default: return order >= 0
        }
    }

    private static func contains(_ container: WorkflowValue, _ element: WorkflowValue) throws(WorkflowError) -> Bool {
        switch container {
        case .list(let items): return items.contains { equal($0, element) }
        case .map(let map):
            guard case .string(let key) = element else { return false }
            return map[key] != nil
        default: throw .typeError("'in' needs a list or a map on its right, not \(container.typeName)")
        }
    }
}
