import OrderedCollections

/// A parsed expression: the body of one `${...}`. Parsed once at load time and evaluated many times.
public indirect enum Expression: Sendable, Hashable {
    case literal(WorkflowValue)
    case variable(String)
    case member(Expression, String)
    case index(Expression, Expression)
    case call(function: String, arguments: [Expression])
    case negate(Expression)
    case not(Expression)
    case binary(BinaryOperator, Expression, Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case list([Expression])
    case map([MapEntry])

    /// One `key: value` of a map literal inside an expression.
    public struct MapEntry: Sendable, Hashable {
        /// The key expression; it must evaluate to a string.
        public var key: Expression
        /// The value expression.
        public var value: Expression
    }

    /// A binary operator other than the short-circuit `and` / `or`.
    public enum BinaryOperator: String, Sendable, Hashable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", remainder = "%"
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case contains = "in"
    }

    /// The dotted name this expression spells (`a.b.c`), if it is only a variable with member accesses.
    public var dottedName: String? {
        switch self {
        case .variable(let name): name
        case .member(let base, let name): base.dottedName.map { $0 + "." + name }
        default: nil
        }
    }

    /// Every function name this expression calls, for validation of unknown functions.
    public func calledFunctions(into names: inout [String]) {
        switch self {
        case .literal, .variable: break
        case .member(let base, _): base.calledFunctions(into: &names)
        case .index(let base, let key):
            base.calledFunctions(into: &names)
            key.calledFunctions(into: &names)
        case .call(let function, let arguments):
            names.append(function)
            for argument in arguments { argument.calledFunctions(into: &names) }
        case .negate(let inner), .not(let inner): inner.calledFunctions(into: &names)
        case .binary(_, let lhs, let rhs), .and(let lhs, let rhs), .or(let lhs, let rhs):
            lhs.calledFunctions(into: &names)
            rhs.calledFunctions(into: &names)
        case .list(let items): for item in items { item.calledFunctions(into: &names) }
        case .map(let entries):
            for entry in entries {
                entry.key.calledFunctions(into: &names)
                entry.value.calledFunctions(into: &names)
            }
        }
    }
}
