/// A compiled pattern: instructions for ``RegexPikeVM``, the classes they refer to, and how many capture slots a
/// match fills.
struct RegexProgram: Sendable {
    /// One step of a thread.
    enum Instruction: Sendable {
        /// Consume exactly this scalar.
        case scalar(Unicode.Scalar)
        /// Consume any scalar whose case fold is this one.
        case foldedScalar(Unicode.Scalar)
        /// Consume any scalar.
        case anyScalar
        /// Consume any scalar but `\n`.
        case anyScalarExceptNewline
        /// Consume a scalar in `classes[index]`; the class's ASCII members are copied in, so that ASCII input is
        /// tested without reaching for the class.
        case characterClass(Int, asciiLow: UInt64, asciiHigh: UInt64)
        /// Continue only where the condition holds; consumes nothing.
        case assertion(RegexAssertion)
        /// Continue at both targets, preferring the first.
        case split(Int, Int)
        /// Continue at the target.
        case jump(Int)
        /// Record the current position in a capture slot.
        case save(Int)
        /// The pattern has matched.
        case match
    }

    /// The instructions; execution starts at 0.
    var instructions: [Instruction] = []
    /// The classes that `characterClass` instructions point into.
    var classes: [RegexCharacterClass] = []
    /// Two slots (start, end) per group, group 0 being the whole match.
    var slotCount = 2
    /// The pattern can only match at the start of the text (it begins with `\A` or `^` outside multi-line mode).
    var isAnchoredAtStart = false
    /// The pattern is this plain sequence of scalars, searched for without the VM.
    var literal: [Unicode.Scalar]?
}
