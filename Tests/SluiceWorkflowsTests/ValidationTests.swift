import SluiceWorkflows
import Testing

@Suite struct ValidationTests {
    static func problem(_ source: String) -> WorkflowValidationError? {
        do {
            _ = try WorkflowDefinition(source: source)
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownStepKeysAreRejectedWithTheirLine() throws {
        let error = try #require(Self.problem("- a:\n    asign:\n      - x: 1\n"))
        #expect(error.message.contains("unexpected key 'asign'"))
        #expect(error.line == 2)
    }

    @Test func duplicateStepNamesAreRejected() throws {
        let error = try #require(Self.problem("- a:\n    return: 1\n- a:\n    return: 2\n"))
        #expect(error.message.contains("duplicate step name"))
    }

    @Test func unknownNextTargetsAreRejected() throws {
        let error = try #require(Self.problem("- a:\n    next: nowhere\n"))
        #expect(error.message.contains("nowhere"))
    }

    @Test func badExpressionsAreRejectedAtLoadTime() throws {
        let error = try #require(Self.problem("- a:\n    return: ${1 +}\n"))
        #expect(error.message.contains("invalid expression"))
    }

    @Test func anEmptyStepIsRejectedWithItsName() throws {
        let error = try #require(Self.problem("- a: {}\n"))
        #expect(error.message.contains("step 'a' is empty"))
    }

    @Test func reservedWordsCannotNameSteps() throws {
        #expect(Self.problem("- end:\n    return: 1\n") != nil)
    }

    @Test func moreThanFiftyAssignmentsAreRejected() throws {
        let lines = (0...50).map { "      - v\($0): \($0)" }.joined(separator: "\n")
        #expect(Self.problem("- a:\n    assign:\n\(lines)\n")?.message.contains("limit is 50") == true)
    }

    @Test func unknownFunctionsAreRejected() throws {
        #expect(Self.problem("- a:\n    return: ${nope.nothing(1)}\n")?.message.contains("unknown function") == true)
    }

    @Test func sourcesOverTheSizeLimitAreRejected() throws {
        let big = "- a:\n    return: \"" + String(repeating: "x", count: 140_000) + "\"\n"
        #expect(Self.problem(big)?.message.contains("limit") == true)
    }

    @Test func deeplyNestedFlowYAMLIsAValidationErrorNotACrash() throws {
        let deep = "- a:\n    return: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(Self.problem(deep) != nil)
    }

    @Test func deeplyNestedBlockYAMLIsAValidationErrorNotACrash() throws {
        var text = "- a:\n    return:\n"
        for level in 0..<400 { text += String(repeating: " ", count: 6 + level) + "k\(level):\n" }
        #expect(Self.problem(text) != nil)
    }

    @Test func deeplyNestedJSONArgumentsAreAValueError() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: WorkflowError.self) { try JSONReader.parse(deep) }
    }

    @Test func jsonDefinitionsLoadLikeYAML() throws {
        let source = #"{"main": {"params": ["a"], "steps": [{"r": {"return": "${a + 1}"}}]}}"#
        #expect(try Harness.run(source, argument: 1).get() == 2)
    }

    @Test func mainIsRequiredWhenSubworkflowsExist() throws {
        #expect(Self.problem("sub:\n  steps:\n    - a:\n        return: 1\n")?.message.contains("main") == true)
    }
}
