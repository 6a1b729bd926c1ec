import SluiceWorkflows
import Testing

/// Syntax the RE2 engine refuses, with RE2's reasons.
@Suite struct RegularExpressionSyntaxTests {
    /// A pattern, the code it is refused with, and a part of the message.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let pattern: String
        let code: RegexSyntaxError.Code
        let message: String
        init(_ pattern: String, _ code: RegexSyntaxError.Code, _ message: String) {
            self.pattern = pattern
            self.code = code
            self.message = message
        }
        var testDescription: String { "/\(pattern.prefix(60))/" }
    }

    static let refusals: [Refusal] = [
        Refusal(#"(a)\1"#, .unsupported, #"backreferences are not supported: \1"#),
        Refusal("(?P<n>a)(?P=n)", .unsupported, "backreferences are not supported: (?P="),
        Refusal("(?=a)", .unsupported, "lookaround assertions are not supported: (?="),
        Refusal("a(?!b)", .unsupported, "lookaround assertions are not supported: (?!"),
        Refusal("(?<=a)b", .unsupported, "lookaround assertions are not supported: (?<="),
        Refusal("(?<!a)b", .unsupported, "lookaround assertions are not supported: (?<!"),
        Refusal("a*+", .invalidRepetition, "bad repetition operator: *+"),
        Refusal("a++", .invalidRepetition, "bad repetition operator: ++"),
        Refusal("a?+", .invalidRepetition, "bad repetition operator: ?+"),
        Refusal("a{2}+", .invalidRepetition, "bad repetition operator: {2}+"),
        Refusal("a**", .invalidRepetition, "bad repetition operator: **"),
        Refusal("a*?*", .invalidRepetition, "bad repetition operator: *?*"),
        Refusal(#"\C"#, .unsupported, #"\C (any byte) is not supported"#),
        Refusal("[z-a]", .invalidCharacterRange, "invalid character class range: z-a"),
        Refusal(#"[a-\d]"#, .invalidCharacterRange, #"invalid character class range: a-\d"#),
        Refusal("[[:foo:]]", .invalidCharacterRange, "invalid character class range: [:foo:]"),
        Refusal("(a", .missingParenthesis, "missing closing )"),
        Refusal("(?i", .missingParenthesis, "missing closing )"),
        Refusal("a)", .unexpectedParenthesis, "unexpected )"),
        Refusal("[a", .missingBracket, "missing closing ]: [a"),
        Refusal("[]", .missingBracket, "missing closing ]: []"),
        Refusal("a{1001}", .invalidRepetition, "bad repetition operator: {1001}"),
        Refusal("a{2,1001}", .invalidRepetition, "bad repetition operator: {2,1001}"),
        Refusal("a{3,2}", .invalidRepetition, "bad repetition operator: {3,2}"),
        Refusal("((a{1000}){1000}){1000}", .invalidRepetition, "nested counts multiply to more than 1000"),
        Refusal("(a{2}){501}", .invalidRepetition, "nested counts multiply to more than 1000"),
        Refusal("*a", .missingRepeatArgument, "missing argument to repetition operator: *"),
        Refusal("a|*", .missingRepeatArgument, "missing argument to repetition operator: *"),
        Refusal("(+)", .missingRepeatArgument, "missing argument to repetition operator: +"),
        Refusal("{2}", .missingRepeatArgument, "missing argument to repetition operator: {2}"),
        Refusal(#"\p{Greek}"#, .unsupported, #"unknown or unsupported Unicode class: \p{Greek}"#),
        Refusal(#"\pX"#, .unsupported, #"unknown or unsupported Unicode class: \pX"#),
        Refusal("(?P<n>a)(?P<n>b)", .duplicateCaptureName, "duplicate capture group name: (?P<n>"),
        Refusal("(?P<>a)", .invalidNamedCapture, "invalid named capture group: (?P<>"),
        Refusal("(?P<a-b>c)", .invalidNamedCapture, "invalid named capture group: (?P<a-"),
        Refusal("(?P<name", .invalidNamedCapture, "invalid named capture group"),
        Refusal("(?x)a", .invalidPerlOperator, "invalid or unsupported Perl syntax: (?x"),
        Refusal("(?i-)a", .invalidPerlOperator, "invalid or unsupported Perl syntax: (?i-)"),
        Refusal("(?#note)a", .invalidPerlOperator, "invalid or unsupported Perl syntax: (?#"),
        Refusal(#"\q"#, .invalidEscape, #"invalid escape sequence: \q"#),
        Refusal(#"\Z"#, .invalidEscape, #"invalid escape sequence: \Z"#),
        Refusal(#"\8"#, .invalidEscape, #"invalid escape sequence: \8"#),
        Refusal(#"\x{110000}"#, .invalidEscape, #"invalid escape sequence: \x{110000}"#),
        Refusal(#"\x{D800}"#, .invalidEscape, #"invalid escape sequence: \x{D800}"#),
        Refusal(#"\xZ1"#, .invalidEscape, #"invalid escape sequence: \x"#),
        Refusal(#"[\b]"#, .invalidEscape, #"invalid escape sequence: \b"#),
        Refusal(#"a\"#, .invalidEscape, #"trailing \"#),
        Refusal(
            String(repeating: "(", count: 1001) + String(repeating: ")", count: 1001), .nestingTooDeep,
            "expression nests too deeply"),
        Refusal(String(repeating: "[a-z]{1000}", count: 101), .tooLarge, "pattern too large - compile failed"),
    ]

    @Test("patterns RE2 refuses are refused with its reason", arguments: refusals)
    func patternsRE2RefusesAreRefusedWithItsReason(_ refusal: Refusal) {
        do {
            _ = try RegularExpression(refusal.pattern)
            Issue.record("/\(refusal.pattern)/ was accepted")
        } catch {
            #expect(error.code == refusal.code)
            #expect(error.message.contains(refusal.message), "message was: \(error.message)")
        }
    }

    static let accepted = [
        "", "a|", "|a", "()", "(?:)", "^*", "(?i)", "(?)", "(?i-s:a)", "(?U)a*?", "a{0}", "a{0,0}", "a{1000}",
        "(a{2}){500}", "[[:alpha:]-z]", "[a-b-c]", #"\_"#, "a{,5}", #"[\x00-\x{10FFFF}]"#, #"(?i)[\x{100}-\x{10FFFF}]"#,
        String(repeating: "[a-z]{1000}", count: 99),
    ]

    @Test("syntax RE2 accepts compiles", arguments: accepted)
    func syntaxRE2AcceptsCompiles(_ pattern: String) throws {
        _ = try RegularExpression(pattern)
    }
}
