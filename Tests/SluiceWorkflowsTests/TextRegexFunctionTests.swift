import SluiceWorkflows
import Testing

/// `text.match_regex`, `text.find_all_regex` and `text.replace_all_regex` on the RE2 engine.
@Suite struct TextRegexFunctionTests {
    @Test func matchRegexSearchesAnywhereInTheSource() throws {
        #expect(try Harness.evaluate(#"text.match_regex("hello123", "[a-z]+[0-9]+")"#).get() == true)
        #expect(try Harness.evaluate(#"text.match_regex("hello", "^[0-9]+$")"#).get() == false)
        #expect(try Harness.evaluate(#"text.match_regex("x\nab", "(?m)^ab$")"#).get() == true)
    }

    @Test func findAllRegexReportsIndexesInUnicodeScalars() throws {
        let found = try Harness.evaluate(#"text.find_all_regex("héllo wörld", "[a-zö]+")"#).get()
        #expect(
            found == [["index": 0, "match": "h"], ["index": 2, "match": "llo"], ["index": 6, "match": "wörld"]])
    }

    @Test func findAllRegexSkipsAnEmptyMatchRightAfterAMatch() throws {
        let found = try Harness.evaluate(#"text.find_all_regex("baaac", "a*")"#).get()
        #expect(found == [["index": 0, "match": ""], ["index": 1, "match": "aaa"], ["index": 5, "match": ""]])
    }

    @Test func findAllRegexReturnsAnEmptyListWithoutAMatch() throws {
        #expect(try Harness.evaluate(#"text.find_all_regex("abc", "[0-9]")"#).get() == [])
    }

    @Test func replaceAllRegexSubstitutesNumberedGroups() throws {
        let replaced = try Harness.evaluate(#"text.replace_all_regex("a=1, b=2", "(\\w)=(\\d)", "\\2:\\1 (\\0)")"#)
        #expect(try replaced.get() == "1:a (a=1), 2:b (b=2)")
    }

    @Test func replaceAllRegexInsertsNothingForAMissingOrUnsetGroup() throws {
        #expect(try Harness.evaluate(#"text.replace_all_regex("a-b", "(x)?-", "[\\1\\9]")"#).get() == "a[]b")
    }

    @Test func replaceAllRegexKeepsABackslashNotFollowedByADigit() throws {
        #expect(try Harness.evaluate(#"text.replace_all_regex("a.b", "\\.", "\\n")"#).get() == #"a\nb"#)
    }

    @Test func replaceAllRegexReplacesEmptyMatchesLikeRE2GlobalReplace() throws {
        #expect(try Harness.evaluate(#"text.replace_all_regex("baaac", "a*", "-")"#).get() == "-b-c-")
    }

    @Test func replaceAllRegexKeepsNonASCIITextAroundMatches() throws {
        #expect(
            try Harness.evaluate(#"text.replace_all_regex("日本 и мир", "\\pL+", "<\\0>")"#).get() == "<日本> <и> <мир>")
    }

    @Test func aRefusedPatternIsAValueErrorThatSaysWhy() throws {
        guard case .failure(let error) = try Harness.evaluate(#"text.match_regex("ab", "a(?=b)")"#) else {
            Issue.record("a lookahead was accepted")
            return
        }
        #expect(error.tags == ["ValueError"])
        #expect(
            error.message == "invalid regular expression 'a(?=b)': lookaround assertions are not supported: (?=")
    }

    @Test func aPatternWithExponentialBacktrackingFinishesOnALongSource() throws {
        let source = """
            main:
              params: [source]
              steps:
                - r:
                    return: ${text.match_regex(source, "(a+)+$")}
            """
        let argument = WorkflowValue.string(String(repeating: "a", count: 30_000) + "b")
        #expect(try Harness.run(source, argument: argument).get() == false)
    }
}
