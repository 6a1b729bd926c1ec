import SluiceWorkflows
import Testing

@Suite struct ExpressionTests {
    static let cases: [(String, WorkflowValue)] = [
        ("1 + 2", 3), ("10 - 3", 7), ("4 * 5", 20), ("7 / 2", 3.5), ("4 / 2", 2.0), ("7 // 2", 3), ("-7 // 2", -4),
        ("7 % 3", 1), ("-7 % 3", 2), ("7.5 // 2", 3.0), ("2 + 3 * 4", 14), ("(2 + 3) * 4", 20), ("27*9/5+32", 80.6),
        ("1 + 2.5", 3.5), ("-5 + 3", -2), ("-2 * -3", 6), (#""a" + "b""#, "ab"), ("1 == 1.0", true),
        ("1 != 2", true), ("1 < 2", true), ("2 <= 2", true), ("3 > 2", true), ("2 >= 3", false),
        (#""abc" < "abd""#, true), ("null == null", true), ("null != 0", true), ("[1, [2]] == [1, [2]]", true),
        (#"{"a": 1} == {"a": 1}"#, true), ("2 in [1, 2]", true), (#""k" in {"k": 1}"#, true),
        (#""z" in {"k": 1}"#, false), ("true and false", false), ("false or true", true), ("not true", false),
        ("True AND TRUE", true), ("not (1 in [2])", true), ("[1, 2, 3][1]", 2), (#"{"a": {"b": 5}}.a.b"#, 5),
        (#"{"a": [1, {"c": 9}]}["a"][1].c"#, 9), ("9223372036854775807", .int(.max)),
    ]

    @Test("operators follow the documented semantics", arguments: cases)
    func operatorsFollowTheDocumentedSemantics(expression: String, expected: WorkflowValue) throws {
        #expect(try Harness.evaluate(expression).get() == expected)
    }

    @Test func andShortCircuitsSoTheRightSideIsNotEvaluated() throws {
        #expect(try Harness.evaluate("false and (1 / 0 == 1)").get() == false)
    }

    @Test func orShortCircuitsSoTheRightSideIsNotEvaluated() throws {
        #expect(try Harness.evaluate("true or undefined_variable").get() == true)
    }

    static let errors: [(String, String)] = [
        ("9223372036854775807 + 1", "ValueError"), ("-9223372036854775807 - 2", "ValueError"),
        ("4611686018427387904 * 2", "ValueError"), (#""a" + 1"#, "TypeError"), ("1 / 0", "ZeroDivisionError"),
        ("1 // 0", "ZeroDivisionError"), ("1 % 0", "ZeroDivisionError"), ("[1][3]", "IndexError"),
        ("[1][-1]", "IndexError"), (#"{"a": 1}.b"#, "KeyError"), ("missing", "KeyError"), ("1 and true", "TypeError"),
        ("not 1", "TypeError"), (#"1 < "a""#, "TypeError"), (#"int("x")"#, "ValueError"), ("[1] + [2]", "TypeError"),
        ("1 in 2", "TypeError"), (#"null.a"#, "TypeError"),
    ]

    @Test("runtime errors carry the documented tag", arguments: errors)
    func runtimeErrorsCarryTheDocumentedTag(expression: String, tag: String) throws {
        guard case .failure(let error) = try Harness.evaluate(expression) else {
            Issue.record("\(expression) did not fail")
            return
        }
        #expect(error.tags == [tag])
        #expect(error.message != nil)
    }

    @Test func parsingRejectsUnbalancedParentheses() {
        #expect(throws: ExpressionSyntaxError.self) { try ExpressionParser.parse("(1 + 2") }
    }

    @Test func parsingRejectsNestingDeeperThanTheLimitInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(throws: ExpressionSyntaxError.self) { try ExpressionParser.parse(deep) }
    }

    @Test func dottedCallsParseAsOneFunctionName() throws {
        #expect(
            try ExpressionParser.parse("math.max(3, 7)")
                == .call(function: "math.max", arguments: [.literal(3), .literal(7)]))
    }
}
