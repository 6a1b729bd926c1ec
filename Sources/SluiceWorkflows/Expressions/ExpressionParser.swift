import OrderedCollections

/// Parses expression text into an ``Expression`` by precedence climbing, with a nesting limit instead of deep
/// recursion on hostile input.
public struct ExpressionParser {
    /// The deepest nesting of parentheses, brackets and operators accepted.
    public static let maximumDepth = 64

    private var tokens: [(ExpressionToken, Int)]
    private var position = 0
    private var depth = 0

    private init(tokens: [(ExpressionToken, Int)]) { self.tokens = tokens }

    /// Parses a complete expression (the text between `${` and `}`).
    public static func parse(_ text: String) throws(ExpressionSyntaxError) -> Expression {
        var parser = ExpressionParser(tokens: try ExpressionTokenizer.tokenize(text))
        let expression = try parser.parseOr()
        guard parser.current == .end else { throw parser.failure("unexpected \(parser.describe(parser.current))") }
        return expression
    }

    private var current: ExpressionToken { tokens[position].0 }

    private func failure(_ message: String) -> ExpressionSyntaxError {
        ExpressionSyntaxError(message: message, offset: tokens[position].1)
    }

    private func describe(_ token: ExpressionToken) -> String {
        switch token {
        case .end: "end of expression"
        case .symbol(let s): "'\(s)'"
        case .identifier(let s): "'\(s)'"
        case .keyword(let k): "'\(k.rawValue)'"
        default: "literal"
        }
    }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private mutating func expect(_ symbol: String) throws(ExpressionSyntaxError) {
        guard current == .symbol(symbol) else {
            throw failure("expected '\(symbol)' but found \(describe(current))")
        }
        advance()
    }

    private mutating func enter() throws(ExpressionSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw failure("expression nested deeper than \(Self.maximumDepth)") }
    }

    private mutating func parseOr() throws(ExpressionSyntaxError) -> Expression {
        try enter()
        defer { depth -= 1 }
        var lhs = try parseAnd()
        while current == .keyword(.or) {
            advance()
            lhs = .or(lhs, try parseAnd())
        }
        return lhs
    }

    private mutating func parseAnd() throws(ExpressionSyntaxError) -> Expression {
        var lhs = try parseComparison()
        while current == .keyword(.and) {
            advance()
            lhs = .and(lhs, try parseComparison())
        }
        return lhs
    }

    private static let comparisons: [String: Expression.BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    private mutating func parseComparison() throws(ExpressionSyntaxError) -> Expression {
        var lhs = try parseAdditive()
        while true {
            if case .symbol(let s) = current, let op = Self.comparisons[s] {
                advance()
                lhs = .binary(op, lhs, try parseAdditive())
            } else if current == .keyword(.in) {
                advance()
                lhs = .binary(.contains, lhs, try parseAdditive())
            } else {
                return lhs
            }
        }
    }

    private mutating func parseAdditive() throws(ExpressionSyntaxError) -> Expression {
        var lhs = try parseMultiplicative()
        while case .symbol(let s) = current, s == "+" || s == "-" {
            advance()
            lhs = .binary(s == "+" ? .add : .subtract, lhs, try parseMultiplicative())
        }
        return lhs
    }

    private static let multiplicative: [String: Expression.BinaryOperator] = [
        "*": .multiply, "/": .divide, "//": .floorDivide, "%": .remainder,
    ]

    private mutating func parseMultiplicative() throws(ExpressionSyntaxError) -> Expression {
        var lhs = try parseUnary()
        while case .symbol(let s) = current, let op = Self.multiplicative[s] {
            advance()
            lhs = .binary(op, lhs, try parseUnary())
        }
        return lhs
    }

    private mutating func parseUnary() throws(ExpressionSyntaxError) -> Expression {
        try enter()
        defer { depth -= 1 }
        if current == .keyword(.not) {
            advance()
            return .not(try parseUnary())
        }
        if current == .symbol("-") {
            advance()
            let operand = try parseUnary()
            switch operand {
            case .literal(.int(let i)): return .literal(.int(0 &- i))
            case .literal(.double(let d)): return .literal(.double(-d))
            default: return .negate(operand)
            }
        }
        if current == .symbol("+") {
            advance()
            return try parseUnary()
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws(ExpressionSyntaxError) -> Expression {
        var base = try parsePrimary()
        while true {
            if current == .symbol(".") {
                advance()
                guard case .identifier(let name) = current else {
                    if case .keyword(let k) = current {
                        advance()
                        base = .member(base, k.rawValue)
                        continue
                    }
                    throw failure("expected a name after '.'")
                }
                advance()
                base = .member(base, name)
            } else if current == .symbol("[") {
                advance()
                let key = try parseOr()
                try expect("]")
                base = .index(base, key)
            } else if current == .symbol("(") {
                guard let name = base.dottedName else { throw failure("only named functions can be called") }
                advance()
                var arguments: [Expression] = []
                if current != .symbol(")") {
                    while true {
                        arguments.append(try parseOr())
                        if current == .symbol(",") {
                            advance()
                            continue
                        }
                        break
                    }
                }
                try expect(")")
                base = .call(function: name, arguments: arguments)
            } else {
                return base
            }
        }
    }

    private mutating func parsePrimary() throws(ExpressionSyntaxError) -> Expression {
        let token = current
        switch token {
        case .int(let i):
            advance()
            return .literal(.int(i))
        case .double(let d):
            advance()
            return .literal(.double(d))
        case .string(let s):
            advance()
            return .literal(.string(s))
        case .keyword(.true):
            advance()
            return .literal(.bool(true))
        case .keyword(.false):
            advance()
            return .literal(.bool(false))
        case .keyword(.null):
            advance()
            return .literal(.null)
        case .identifier(let name):
            advance()
            return .variable(name)
        case .symbol("("):
            advance()
            let inner = try parseOr()
            try expect(")")
            return inner
        case .symbol("["):
            advance()
            var items: [Expression] = []
            while current != .symbol("]") {
                items.append(try parseOr())
                guard current == .symbol(",") else { break }
                advance()
            }
            try expect("]")
            return .list(items)
        case .symbol("{"):
            advance()
            var entries: [Expression.MapEntry] = []
            while current != .symbol("}") {
                let key: Expression
                if case .identifier(let name) = current {
                    advance()
                    key = .literal(.string(name))
                } else {
                    key = try parseOr()
                }
                try expect(":")
                entries.append(.init(key: key, value: try parseOr()))
                guard current == .symbol(",") else { break }
                advance()
            }
            try expect("}")
            return .map(entries)
        default:
            throw failure("unexpected \(describe(token))")
        }
    }
}
