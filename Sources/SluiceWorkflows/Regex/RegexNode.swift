/// A parsed pattern: the syntax tree the compiler turns into a ``RegexProgram``.
indirect enum RegexNode: Sendable {
    /// Matches the empty string: an empty pattern, branch or group.
    case empty
    /// One scalar; with `foldsCase`, any scalar in its simple case-folding orbit.
    case literal(Unicode.Scalar, foldsCase: Bool)
    /// `.`: any scalar, or any but `\n`.
    case anyScalar(matchesNewline: Bool)
    /// A bracket, Perl or Unicode class.
    case characterClass(RegexCharacterClass)
    /// A zero-width condition.
    case assertion(RegexAssertion)
    /// A numbered group, recorded in slots `2 * index` and `2 * index + 1`.
    case capture(RegexNode, index: Int)
    /// Each item in turn.
    case concatenation([RegexNode])
    /// The first branch that leads to a match, left to right.
    case alternation([RegexNode])
    /// The child repeated `min` to `max` times (no upper bound when `max` is nil).
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
}
