/// Why a pattern is not accepted: a syntax error, or a feature RE2 leaves out on purpose because it cannot be matched
/// in linear time. Messages follow RE2's wording. Equality compares codes only.
package struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the pattern.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case missingParenthesis
            case unexpectedParenthesis
            case missingBracket
            case invalidEscape
            case invalidCharacterRange
            case missingRepeatArgument
            case invalidRepetition
            case invalidPerlOperator
            case invalidNamedCapture
            case duplicateCaptureName
            case unsupported
            case tooLarge
            case nestingTooDeep
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A `(` is never closed.
        package static let missingParenthesis = Code(.missingParenthesis)
        /// A `)` closes nothing.
        package static let unexpectedParenthesis = Code(.unexpectedParenthesis)
        /// A `[` is never closed.
        package static let missingBracket = Code(.missingBracket)
        /// A `\` escape that RE2 does not define, or a trailing `\`.
        package static let invalidEscape = Code(.invalidEscape)
        /// A class range that runs backwards, an unknown POSIX or Unicode class name.
        package static let invalidCharacterRange = Code(.invalidCharacterRange)
        /// A repetition operator with nothing before it to repeat.
        package static let missingRepeatArgument = Code(.missingRepeatArgument)
        /// Stacked operators (`a**`, possessive `a*+`), or a count over 1000, alone or multiplied by nesting.
        package static let invalidRepetition = Code(.invalidRepetition)
        /// A `(?` group RE2 does not know.
        package static let invalidPerlOperator = Code(.invalidPerlOperator)
        /// A `(?P<name>` group with a missing or malformed name.
        package static let invalidNamedCapture = Code(.invalidNamedCapture)
        /// Two groups with the same name.
        package static let duplicateCaptureName = Code(.duplicateCaptureName)
        /// Backreferences, lookarounds, `\C` and Unicode scripts: syntax RE2 refuses or this engine leaves out.
        package static let unsupported = Code(.unsupported)
        /// The compiled program would exceed ``RegexCompiler/maximumProgramSize`` instructions.
        package static let tooLarge = Code(.tooLarge)
        /// Groups nest deeper than ``RegexParser/maximumNestingDepth``.
        package static let nestingTooDeep = Code(.nestingTooDeep)

        package var description: String { value.rawValue }
    }

    /// What is wrong.
    package var code: Code
    /// RE2's wording of the problem, with the offending part of the pattern.
    package var message: String

    /// Creates an error with a code and message.
    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }

    package static func == (lhs: RegexSyntaxError, rhs: RegexSyntaxError) -> Bool { lhs.code == rhs.code }
}
