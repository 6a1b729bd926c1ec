import SluiceCore

/// A recursive-descent parser for subscription filters; see ``SubscriptionFilter`` for the grammar.
struct FilterParser {
    /// Deeper nesting is refused, so a hostile filter cannot exhaust the stack.
    static let maximumDepth = 32

    private let tokens: [FilterToken]
    private var index = 0

    init(_ source: String) throws(SluiceError) {
        var lexer = FilterLexer(source)
        tokens = try lexer.tokens()
    }

    private var current: FilterToken { tokens[index] }

    private func error(_ what: String) -> SluiceError {
        FilterLexer.error(what, at: current.offset)
    }

    mutating func parseFilter() throws(SluiceError) -> SubscriptionFilter.Expression {
        guard current.kind != .end else { throw error("the filter is empty") }
        let expression = try parseExpression(depth: 0)
        guard current.kind == .end else {
            if case .word(let word) = current.kind, ["and", "or", "not"].contains(word.lowercased()) {
                throw error("boolean operators must be uppercase: \(word.uppercased())")
            }
            throw error("expected AND, OR or the end of the filter")
        }
        return expression
    }

    private mutating func parseExpression(depth: Int) throws(SluiceError) -> SubscriptionFilter.Expression {
        var terms = [try parseTerm(depth: depth)]
        var operatorWord: String?
        while case .word(let word) = current.kind, word == "AND" || word == "OR" {
            if let operatorWord, operatorWord != word {
                throw error("AND and OR cannot be mixed without parentheses")
            }
            operatorWord = word
            index += 1
            terms.append(try parseTerm(depth: depth))
        }
        guard terms.count > 1 else { return terms[0] }
        return operatorWord == "AND" ? .and(terms) : .or(terms)
    }

    private mutating func parseTerm(depth: Int) throws(SluiceError) -> SubscriptionFilter.Expression {
        guard depth < Self.maximumDepth else { throw error("the filter nests too deeply") }
        switch current.kind {
        case .word("NOT"), .minus:
            index += 1
            return .not(try parseTerm(depth: depth + 1))
        case .leftParen:
            index += 1
            let inner = try parseExpression(depth: depth + 1)
            try expect(.rightParen, "expected ')'")
            return inner
        case .word("attributes"):
            index += 1
            if current.kind == .colon {
                index += 1
                return .hasKey(try parseKey())
            }
            try expect(.dot, "expected '.' or ':' after 'attributes'")
            let key = try parseKey()
            let negated: Bool
            switch current.kind {
            case .equals: negated = false
            case .notEquals: negated = true
            default: throw error("expected '=' or '!=' after attributes.\(key)")
            }
            index += 1
            let value = try parseString("a comparison needs a string literal value")
            return negated ? .notEquals(key, value) : .equals(key, value)
        case .word("hasPrefix"):
            index += 1
            try expect(.leftParen, "expected '(' after hasPrefix")
            guard current.kind == .word("attributes") else { throw error("hasPrefix takes attributes.KEY first") }
            index += 1
            try expect(.dot, "hasPrefix takes attributes.KEY first")
            let key = try parseKey()
            try expect(.comma, "expected ',' in hasPrefix")
            let prefix = try parseString("hasPrefix needs a string literal prefix")
            try expect(.rightParen, "expected ')' to close hasPrefix")
            return .hasPrefix(key, prefix)
        case .word(let word) where word == "AND" || word == "OR":
            throw error("expected a condition before \(word)")
        case .word(let word) where ["not", "and", "or"].contains(word.lowercased()):
            throw error("boolean operators must be uppercase: \(word.uppercased())")
        case .end:
            throw error("the filter ends where a condition was expected")
        default:
            throw error("expected attributes, hasPrefix, NOT or '('")
        }
    }

    private mutating func parseKey() throws(SluiceError) -> String {
        switch current.kind {
        case .word(let key), .string(let key):
            guard !key.isEmpty else { throw error("an attribute key must not be empty") }
            index += 1
            return key
        default:
            throw error("expected an attribute key")
        }
    }

    private mutating func parseString(_ message: String) throws(SluiceError) -> String {
        guard case .string(let value) = current.kind else { throw error(message) }
        index += 1
        return value
    }

    private mutating func expect(_ kind: FilterToken.Kind, _ message: String) throws(SluiceError) {
        guard current.kind == kind else { throw error(message) }
        index += 1
    }
}
