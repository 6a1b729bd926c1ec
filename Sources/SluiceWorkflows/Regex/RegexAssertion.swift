/// A zero-width condition on the scalars around a position.
enum RegexAssertion: Sendable, Equatable {
    /// `^` in multi-line mode: at the start of the text or after `\n`.
    case beginLine
    /// `$` in multi-line mode: at the end of the text or before `\n`.
    case endLine
    /// `\A`, or `^` outside multi-line mode.
    case beginText
    /// `\z`, or `$` outside multi-line mode (RE2's `$` does not match before a final `\n`).
    case endText
    /// `\b`: between an ASCII word scalar and a non-word scalar or an end of the text.
    case wordBoundary
    /// `\B`: not at a `\b`.
    case notWordBoundary

    /// Whether the condition holds between `before` and `after` (nil at the ends of the text).
    func holds(before: Unicode.Scalar?, after: Unicode.Scalar?) -> Bool {
        switch self {
        case .beginText: before == nil
        case .endText: after == nil
        case .beginLine: before == nil || before == "\n"
        case .endLine: after == nil || after == "\n"
        case .wordBoundary: Self.isWord(before) != Self.isWord(after)
        case .notWordBoundary: Self.isWord(before) == Self.isWord(after)
        }
    }

    private static func isWord(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        switch scalar {
        case "0"..."9", "A"..."Z", "a"..."z", "_": return true
        default: return false
        }
    }
}
