public import SluiceCore

/// A parsed Pub/Sub subscription filter
/// (https://cloud.google.com/pubsub/docs/subscription-message-filter).
///
/// Grammar (operators are case-sensitive and uppercase; `-` is a synonym of `NOT`):
///
///     filter     := term ( ("AND" term)* | ("OR" term)* )      -- AND and OR never mix unparenthesised
///     term       := ("NOT" | "-") term | "(" filter ")" | predicate
///     predicate  := "attributes" ":" key
///                 | "attributes" "." key ("=" | "!=") string
///                 | "hasPrefix" "(" "attributes" "." key "," string ")"
///     key        := [A-Za-z0-9_-]+ | string
///
/// Strings are double-quoted with C-style escapes (`\"`, `\\`, `\n`, `\xHH`, `\uHHHH`,
/// `\UHHHHHHHH`, octal `\ooo`). A filter is at most 256 bytes. `attributes.k != "v"` is
/// `NOT attributes.k = "v"`: it also matches messages without `k`.
public struct SubscriptionFilter: Sendable, Hashable, CustomStringConvertible {
    /// The longest filter, in UTF-8 bytes.
    public static let maximumLength = 256

    /// The expression tree.
    public let expression: Expression
    /// The filter as written.
    public let source: String

    /// Parses a filter, throwing `invalidArgument` with the byte offset of the first problem.
    public init(parsing source: String) throws(SluiceError) {
        guard source.utf8.count <= Self.maximumLength else {
            throw SluiceError(.invalidArgument, "a filter is at most 256 bytes; this one has \(source.utf8.count)")
        }
        var parser = try FilterParser(source)
        expression = try parser.parseFilter()
        self.source = source
    }

    /// Whether a message with these attributes is delivered.
    public func matches(_ attributes: ExactStringMap) -> Bool {
        expression.evaluate(attributes)
    }

    public var description: String { source }

    /// A filter expression.
    public indirect enum Expression: Sendable, Hashable {
        /// `attributes:key`.
        case hasKey(String)
        /// `attributes.key = "value"`.
        case equals(String, String)
        /// `attributes.key != "value"`.
        case notEquals(String, String)
        /// `hasPrefix(attributes.key, "prefix")`.
        case hasPrefix(String, String)
        /// `NOT e`.
        case not(Expression)
        /// `a AND b AND ...`.
        case and([Expression])
        /// `a OR b OR ...`.
        case or([Expression])

        /// Evaluates the expression against message attributes. Keys, values and prefixes compare
        /// as bytes, as Pub/Sub compares them: "é" precomposed and decomposed are different values.
        public func evaluate(_ attributes: ExactStringMap) -> Bool {
            switch self {
            case .hasKey(let key): attributes[key] != nil
            case .equals(let key, let value): attributes[key]?.isByteEqual(to: value) ?? false
            case .notEquals(let key, let value): !(attributes[key]?.isByteEqual(to: value) ?? false)
            case .hasPrefix(let key, let prefix): attributes[key]?.utf8.starts(with: prefix.utf8) ?? false
            case .not(let inner): !inner.evaluate(attributes)
            case .and(let terms): terms.allSatisfy { $0.evaluate(attributes) }
            case .or(let terms): terms.contains { $0.evaluate(attributes) }
            }
        }
    }
}
