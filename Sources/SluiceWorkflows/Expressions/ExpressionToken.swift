import OrderedCollections

/// One lexical token of an expression.
enum ExpressionToken: Sendable, Equatable {
    case int(Int64)
    case double(Double)
    case string(String)
    case identifier(String)
    case keyword(Keyword)
    case symbol(String)
    case end

    enum Keyword: String, Sendable {
        case and, or, not, `in`, `true`, `false`, null
    }
}

/// A syntax error inside an expression, with the character offset where it was found.
public struct ExpressionSyntaxError: Error, Sendable, Hashable {
    /// What is wrong.
    public var message: String
    /// Offset in characters from the start of the expression text.
    public var offset: Int
}
