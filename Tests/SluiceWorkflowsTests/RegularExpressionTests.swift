import SluiceWorkflows
import Testing

/// Matching behaviour of the RE2 engine behind the `text.*_regex` functions.
@Suite struct RegularExpressionTests {
    /// A pattern, an input, and the text of the first match (nil for no match).
    struct Case: Sendable, CustomTestStringConvertible {
        let pattern: String
        let input: String
        let expected: String?
        init(_ pattern: String, _ input: String, _ expected: String?) {
            self.pattern = pattern
            self.input = input
            self.expected = expected
        }
        var testDescription: String { "/\(pattern)/ on \(input.debugDescription)" }
    }

    static func firstMatch(_ pattern: String, in input: String) throws -> String? {
        let scalars = Array(input.unicodeScalars)
        guard let match = try RegularExpression(pattern).firstMatch(in: scalars) else { return nil }
        return text(scalars[match.range])
    }

    static func groups(_ pattern: String, in input: String) throws -> [String?]? {
        let scalars = Array(input.unicodeScalars)
        guard let match = try RegularExpression(pattern).firstMatch(in: scalars) else { return nil }
        return match.groups.map { $0.map { text(scalars[$0]) } }
    }

    static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static let escapes: [Case] = [
        Case(#"a\.b"#, "axb a.b", "a.b"), Case(#"\\"#, #"x\y"#, #"\"#),
        Case(#"\n\t\r\f\v\a"#, "\n\t\r\u{0C}\u{0B}\u{07}", "\n\t\r\u{0C}\u{0B}\u{07}"),
        Case(#"\x41\x{263a}"#, "zA☺", "A☺"), Case(#"\101\0"#, "A\u{0}", "A\u{0}"), Case(#"\Q.*+\E+"#, ".*++", ".*++"),
        Case(#"\*\?\{\}\[\]\(\)\|\^\$\-\ "#, "*?{}[]()|^$- ", "*?{}[]()|^$- "), Case("日本", "こんにちは日本", "日本"),
    ]

    @Test("literals and escapes match the scalars they name", arguments: escapes)
    func literalsAndEscapesMatchTheScalarsTheyName(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    static let dots: [Case] = [
        Case("a.c", "abc", "abc"), Case("a.c", "a\nc", nil), Case("(?s)a.c", "a\nc", "a\nc"), Case("a.c", "a☺c", "a☺c"),
    ]

    @Test("dot matches any scalar but a newline unless the s flag is set", arguments: dots)
    func dotMatchesAnyScalarButANewlineUnlessTheSFlagIsSet(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    static let brackets: [Case] = [
        Case("[a-c]+", "xxbcay", "bca"), Case("[^a-c]+", "abxyzc", "xyz"), Case("[]a]+", "x]a]", "]a]"),
        Case("[^]a]+", "]]bc", "bc"), Case("[a-]+", "x-a-", "-a-"), Case("[-a]+", "x-a", "-a"),
        Case(#"[\d_]+"#, "ab_12c", "_12"), Case(#"[\]\\]+"#, #"a]\b"#, #"]\"#), Case("[^a]", "a\n", "\n"),
        Case(#"[\x{263a}-\x{263c}]"#, "a☻", "☻"), Case("[.]", "a.", "."),
    ]

    @Test("bracket classes match ranges, negations and literal brackets", arguments: brackets)
    func bracketClassesMatchRangesNegationsAndLiteralBrackets(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    static let perlClasses: [Case] = [
        Case(#"\d+"#, "ab123", "123"), Case(#"\d"#, "٣", nil), Case(#"\w+"#, "é_a1!", "_a1"),
        Case(#"\W+"#, "ab, c", ", "),
        Case(#"\s+"#, "a \t\n\r\u{0C}b", " \t\n\r\u{0C}"), Case(#"\s"#, "\u{0B}\u{A0}", nil),
        Case(#"\S+"#, "  ab ", "ab"),
        Case(#"\D+"#, "12ab3", "ab"), Case(#"[\D]+"#, "12ab3", "ab"), Case(#"[^\D]+"#, "ab12c", "12"),
    ]

    @Test("Perl classes are ASCII only, as in RE2", arguments: perlClasses)
    func perlClassesAreASCIIOnlyAsInRE2(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    static let posixClasses: [Case] = [
        Case("[[:alpha:]]+", "12abC3", "abC"), Case("[[:^digit:]]+", "12ab3", "ab"),
        Case("[[:punct:]]+", "ab!?c", "!?"),
        Case("[[:upper:][:digit:]]+", "aB1c", "B1"), Case("[[:xdigit:]]+", "xyzBEEFg", "BEEF"),
        Case("[[:space:]]+", "a \u{0B}b", " \u{0B}"), Case("[[:word:]]+", "!a_1!", "a_1"),
    ]

    @Test("POSIX classes match inside brackets", arguments: posixClasses)
    func posixClassesMatchInsideBrackets(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    static let unicodeClasses: [Case] = [
        Case(#"\pL+"#, "1héllo2", "héllo"), Case(#"\p{L}+"#, "1Ωμ2", "Ωμ"), Case(#"\p{Lu}+"#, "abÉCd", "ÉC"),
        Case(#"\p{Ll}"#, "ABC", nil), Case(#"\PL+"#, "ab12!c", "12!"), Case(#"\p{^L}+"#, "ab12!c", "12!"),
        Case(#"\pN+"#, "x٣4Ⅻ", "٣4Ⅻ"), Case(#"\p{Nd}+"#, "x٣4Ⅻ", "٣4"), Case(#"[\p{Lu}\d]+"#, "aB1Cd", "B1C"),
        Case(#"[^\pL]+"#, "ab 1c", " 1"), Case(#"[\PL]+"#, "ab 1c", " 1"), Case(#"\p{Sc}"#, "cost €5", "€"),
        Case(#"\p{Zs}"#, "a\u{A0}b", "\u{A0}"), Case(#"\p{Any}+"#, "a\nb", "a\nb"), Case(#"(?i)\p{Lu}"#, "1a", "a"),
    ]

    @Test("Unicode general categories match by the scalar's property", arguments: unicodeClasses)
    func unicodeGeneralCategoriesMatchByTheScalarsProperty(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    static let anchors: [Case] = [
        Case("^b", "a\nb", nil), Case("(?m)^b", "a\nb", "b"), Case("a$", "a\n", nil), Case("(?m)a$", "a\nb", "a"),
        Case(#"\Aa"#, "ba", nil), Case(#"a\z"#, "ab", nil), Case(#"(?m)\Ab"#, "a\nb", nil), Case("^$", "", ""),
        Case(#"\bfoo\b"#, "afoo foo", "foo"), Case(#"\Boo"#, "oo foo", "oo"), Case(#"\b"#, "", nil),
        Case(#"é\b"#, "éa", "é"),
    ]

    @Test("anchors hold at the text and line boundaries RE2 gives them", arguments: anchors)
    func anchorsHoldAtTheTextAndLineBoundariesRE2GivesThem(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    static let preferences: [Case] = [
        Case("a|ab", "ab", "a"), Case("ab|a", "ab", "ab"), Case("b+|a", "abbb", "a"), Case("a+", "baaa", "aaa"),
        Case("a+?", "aaa", "a"), Case("a*?b", "aab", "aab"), Case("a{2,3}", "aaaa", "aaa"),
        Case("a{2,3}?", "aaaa", "aa"),
        Case("a??", "a", ""), Case("a?", "a", "a"), Case("(?U)a+", "aaa", "a"), Case("(?U)a+?", "aaa", "aaa"),
        Case("<.*>", "<a><b>", "<a><b>"), Case("<.*?>", "<a><b>", "<a>"), Case("(a|ab)(c|bcd)", "abcd", "abcd"),
        Case("x*", "aaa", ""),
    ]

    @Test("the leftmost match wins, then the Perl-like preference among its alternatives", arguments: preferences)
    func theLeftmostMatchWinsThenThePerlLikePreferenceAmongItsAlternatives(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    static let counts: [Case] = [
        Case("a{2}", "aaa", "aa"), Case("a{2}", "a", nil), Case("a{2,}", "aaaa", "aaaa"), Case("ba{0}", "ba", "b"),
        Case("(ab){1,2}c", "ababc", "ababc"), Case("a{,2}", "a{,2}", "a{,2}"), Case("a{", "a{", "a{"),
        Case("x{y}", "x{y}", "x{y}"),
        Case("a{1000}", String(repeating: "a", count: 1000), String(repeating: "a", count: 1000)),
    ]

    @Test("counted repetitions take their counts and braces that are no count are literals", arguments: counts)
    func countedRepetitionsTakeTheirCountsAndBracesThatAreNoCountAreLiterals(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    @Test func captureGroupsReportTheirTextAndGroupsThatTookNoPartAreNil() throws {
        #expect(try Self.groups("(a)|(b)", in: "b") == ["b", nil, "b"])
        #expect(try Self.groups(#"(\w+)@(\w+)\.com"#, in: "mail bob@site.com") == ["bob@site.com", "bob", "site"])
        #expect(try Self.groups("(a(b)?)+", in: "aba") == ["aba", "a", "b"])
        #expect(try Self.groups("(?:a)(b)", in: "ab") == ["ab", "b"])
    }

    @Test func aRepeatedGroupCapturesItsLastIteration() throws {
        #expect(try Self.groups("(a|b)+", in: "abab") == ["abab", "b"])
        #expect(try Self.groups("(a*)+", in: "b") == ["", ""])
    }

    @Test func namedGroupsAreNumberedInOrderOfTheirOpeningParenthesis() throws {
        let regex = try RegularExpression("(?P<first>a)(b)(?<third>c)")
        #expect(regex.captureCount == 3)
        #expect(regex.captureNames == ["first": 1, "third": 3])
        #expect(try Self.groups("(?P<first>a)(b)(?<third>c)", in: "abc") == ["abc", "a", "b", "c"])
    }

    static let caseFolding: [Case] = [
        Case("(?i)abc", "xABC", "ABC"), Case("(?i:a)b", "AB", nil), Case("(?i:a)b", "Ab", "Ab"),
        Case("(?i)a(?-i)b", "AB", nil), Case("(?i)a(?-i)b", "Ab", "Ab"), Case("(?i)[a-c]+", "xCaB", "CaB"),
        Case("(?i)[^a]", "Ab", "b"), Case("(?i)k", "\u{212A}", "\u{212A}"), Case("(?i)\u{212A}", "k", "k"),
        Case("(?i)[\u{212A}]", "K", "K"), Case("(?i)σ+", "Σςσ", "Σςσ"), Case("(?i)é", "É", "É"),
        Case("(?i)[[:upper:]]+", "abC", "abC"), Case("(a(?i)b)c", "aBC", nil), Case("(?i)ß", "SS", nil),
        // Unicode's case folding leaves out the Turkic dotless ı and dotted İ, and so does RE2.
        Case("(?i)i", "\u{131}", nil), Case("(?i)I", "\u{130}", nil), Case("(?i)\u{131}", "Ii", nil),
        Case("(?i)[a-z]", "\u{131}", nil), Case("(?i)\u{131}", "x\u{131}", "\u{131}"),
    ]

    @Test("the i flag matches other cases through simple case folding", arguments: caseFolding)
    func theIFlagMatchesOtherCasesThroughSimpleCaseFolding(_ example: Case) throws {
        #expect(try Self.firstMatch(example.pattern, in: example.input) == example.expected)
    }

    @Test func flagsSetInAGroupEndWithTheGroup() throws {
        #expect(try Self.firstMatch("((?i)a)a", in: "AA") == nil)
        #expect(try Self.firstMatch("((?i)a)a", in: "Aa") == "Aa")
        #expect(try Self.firstMatch("(?s:.)(.)", in: "\n\n") == nil)
        #expect(try Self.firstMatch("(?ms)^a.b$", in: "x\na\nb") == "a\nb")
    }

    @Test func allMatchesSkipAnEmptyMatchRightAfterThePreviousMatch() throws {
        let input = Array("baaac".unicodeScalars)
        let ranges = try RegularExpression("a*").allMatches(in: input).map(\.range)
        #expect(ranges == [0..<0, 1..<4, 5..<5])
    }

    @Test func allMatchesAreNonOverlappingLeftToRight() throws {
        let input = Array("aaaaa".unicodeScalars)
        #expect(try RegularExpression("aa").allMatches(in: input).map(\.range) == [0..<2, 2..<4])
        #expect(try RegularExpression("a{2}?").allMatches(in: input).map(\.range) == [0..<2, 2..<4])
        #expect(
            try RegularExpression("").allMatches(in: Array("ab".unicodeScalars)).map(\.range) == [0..<0, 1..<1, 2..<2])
    }

    @Test func nestedQuantifiersThatMakeBacktrackingExponentialFinishOnThirtyThousandScalars() throws {
        let input = Array((String(repeating: "a", count: 30_000) + "b").unicodeScalars)
        let regex = try RegularExpression("(a+)+$")
        #expect(try !regex.matches(input))
        #expect(try regex.firstMatch(in: input) == nil)
        #expect(try RegularExpression("(a|aa)+$").allMatches(in: input).isEmpty)
    }

    @Test func longInputsAreMatchedWithoutRecursion() throws {
        let input = Array((String(repeating: "ab", count: 100_000) + "c").unicodeScalars)
        let match = try RegularExpression("((a|b)*)c").firstMatch(in: input)
        #expect(match?.range == 0..<200_001)
        #expect(match?.groups[2] == 199_999..<200_000)
    }

    @Test func patternsNestedAThousandGroupsDeepCompileAndMatch() throws {
        let pattern = String(repeating: "(", count: 1000) + "a" + String(repeating: ")*", count: 1000)
        let regex = try RegularExpression(pattern)
        #expect(regex.captureCount == 1000)
        #expect(try regex.firstMatch(in: ["a", "a"])?.groups[1000] == 1..<2)
    }

    @Test func matchingGivesUpPastItsStepLimit() throws {
        // Each search scans to the end for an `x` before settling for one `a`, so finding all is quadratic.
        let input = Array(String(repeating: "a", count: 2000).unicodeScalars)
        let regex = try RegularExpression("[a-z]*x|a")
        #expect(throws: RegularExpression.StepLimitExceeded.self) {
            try regex.allMatches(in: input, stepLimit: 100_000)
        }
        #expect(try regex.allMatches(in: Array("aa".unicodeScalars), stepLimit: 100_000).count == 2)
    }

    @Test func allMatchesReportOnlyTheGroupsAskedFor() throws {
        let matches = try RegularExpression("(a)(b)(c)").allMatches(in: Array("abcabc".unicodeScalars), groupLimit: 1)
        #expect(matches.map(\.groups) == [[0..<3, 0..<1], [3..<6, 3..<4]])
    }
}
