import SluiceWorkflows
import Testing

@Suite struct StepTests {
    @Test func assignmentsRunInOrderAndSeeEarlierOnes() throws {
        let source = """
            - a:
                assign:
                  - x: 1
                  - y: ${x + 1}
            - r:
                return: ${y}
            """
        #expect(try Harness.run(source).get() == 2)
    }

    @Test func nestedElementAssignmentUpdatesMapsAndLists() throws {
        let source = """
            - a:
                assign:
                  - m: {"a": {"b": [1, 2]}}
                  - m.a.b[1]: 20
                  - m["c"]: 3
                  - m.new.deep: 4
            - r:
                return: ${m}
            """
        #expect(try Harness.run(source).get() == ["a": ["b": [1, 20]], "c": 3, "new": ["deep": 4]])
    }

    @Test func assigningPastTheEndOfAListIsAnIndexError() throws {
        let source = """
            - a:
                assign:
                  - l: [1]
                  - l[5]: 2
            """
        #expect(try Harness.failureTags(source) == ["IndexError"])
    }

    @Test func callStoresTheResultOfALibraryFunction() throws {
        let source = """
            - c:
                call: text.to_upper
                args:
                  source: abc
                result: up
            - r:
                return: ${up}
            """
        #expect(try Harness.run(source).get() == "ABC")
    }

    @Test func switchRunsTheFirstMatchingCondition() throws {
        let source = """
            - s:
                switch:
                  - condition: ${1 > 2}
                    return: first
                  - condition: ${2 > 1}
                    return: second
                  - condition: true
                    return: third
            """
        #expect(try Harness.run(source).get() == "second")
    }

    @Test func switchWithoutAMatchContinuesWithTheNextStep() throws {
        let source = """
            - s:
                switch:
                  - condition: false
                    return: no
            - r:
                return: fallthrough
            """
        #expect(try Harness.run(source).get() == "fallthrough")
    }

    @Test func switchConditionThatIsNotABooleanIsATypeError() throws {
        let source = """
            - s:
                switch:
                  - condition: ${1}
                    return: no
            """
        #expect(try Harness.failureTags(source) == ["TypeError"])
    }

    @Test func nextJumpsToANamedStepAndEndStops() throws {
        let source = """
            - a:
                assign:
                  - p: a
                next: c
            - b:
                assign:
                  - p: ${p + "b"}
            - c:
                assign:
                  - p: ${p + "c"}
                next: end
            - d:
                return: never
            """
        #expect(try Harness.run(source).get() == .null)
    }

    @Test func forIteratesListsWithAnIndex() throws {
        let source = """
            - init:
                assign:
                  - out: []
            - loop:
                for:
                  value: v
                  index: i
                  in: ["a", "b"]
                  steps:
                    - add:
                        assign:
                          - out: ${list.concat(out, string(i) + v)}
            - r:
                return: ${out}
            """
        #expect(try Harness.run(source).get() == ["0a", "1b"])
    }

    @Test func forRangeIsInclusiveAndBreakAndContinueWork() throws {
        let source = """
            - init:
                assign:
                  - sum: 0
            - loop:
                for:
                  value: v
                  range: [1, 10]
                  steps:
                    - skip:
                        switch:
                          - condition: ${v == 2}
                            next: continue
                          - condition: ${v == 5}
                            next: break
                    - add:
                        assign:
                          - sum: ${sum + v}
            - r:
                return: ${sum}
            """
        #expect(try Harness.run(source).get() == 8)
    }

    @Test func aRangeWiderThanInt64StartsAtItsFirstValue() throws {
        let source = """
            - loop:
                for:
                  value: v
                  range: [-9223372036854775807, 9223372036854775807]
                  steps:
                    - first:
                        return: ${v}
            """
        #expect(try Harness.run(source).get() == .int(-9_223_372_036_854_775_807))
    }

    @Test func aRangeEndingAtInt64MaxRunsEveryValue() throws {
        let source = """
            - init:
                assign:
                  - n: 0
                  - last: 0
            - loop:
                for:
                  value: v
                  range: [9223372036854775806, 9223372036854775807]
                  steps:
                    - count:
                        assign:
                          - n: ${n + 1}
                          - last: ${v}
            - r:
                return: ${[n, last]}
            """
        #expect(try Harness.run(source).get() == [2, .int(9_223_372_036_854_775_807)])
    }

    @Test func aValueWrappedInItselfInALoopStopsAtTheDepthLimit() throws {
        let source = """
            - init:
                assign:
                  - s: []
                  - i: 0
            - wrap:
                assign:
                  - s: ${[s]}
                  - i: ${i + 1}
            - again:
                switch:
                  - condition: ${i < 100000}
                    next: wrap
            - r:
                return: ${i}
            """
        #expect(try Harness.failureTags(source) == ["ResourceLimitError"])
    }

    @Test func aValueDoubledInALoopFailsWithAResourceLimitErrorBeforeItsSizeExplodes() throws {
        // 64 doublings share storage, so building them is cheap; walking them is 2^64 visits.
        let source = """
            - init:
                assign:
                  - x: "abc"
                  - i: 0
            - double:
                assign:
                  - x: ${[x, x]}
                  - i: ${i + 1}
            - again:
                switch:
                  - condition: ${i < 64}
                    next: double
            - r:
                return: ${i}
            """
        #expect(try Harness.failureTags(source) == ["ResourceLimitError"])
    }

    @Test func returningAValueOverTheSizeLimitFailsWithAResourceLimitError() throws {
        let source = """
            - init:
                assign:
                  - s: "0123456789abcdef"
            - grow:
                for:
                  value: i
                  range: [1, 14]
                  steps:
                    - widen:
                        assign:
                          - s: ${s + s}
            - r:
                return: ${[s, s, s, s, s, s, s, s, s, s, s, s]}
            """
        #expect(try Harness.failureTags(source) == ["ResourceLimitError"])
    }

    @Test(
        "a NaN or an infinity returned, even inside a list or map, is a ValueError rather than a null result",
        arguments: ["[1, 2, .nan]", "{a: 1, b: .inf}", #"${[1, "keep me", 1e308 * 10]}"#, "${-1e308 * 10}"])
    func nonFiniteResultIsAValueError(returned: String) throws {
        #expect(try Harness.failureTags("- r:\n    return: \(returned)\n") == ["ValueError"])
    }

    @Test func assigningAnInfinityIsAValueErrorTheWorkflowCanCatch() throws {
        let source = """
            - guarded:
                try:
                  assign:
                    - x: ${1e308 * 10}
                except:
                  as: e
                  steps:
                    - caught:
                        return: ${e.tags}
            """
        #expect(try Harness.run(source).get() == ["ValueError"])
    }

    @Test func replaceAllThatWouldPassTheStringLimitFailsBeforeBuildingTheString() throws {
        // 2^17 matches times a 2^17-byte replacement would be 16 GiB if built first.
        let source = """
            - init:
                assign:
                  - a: "a"
                  - r: "r"
            - grow:
                for:
                  value: i
                  range: [1, 17]
                  steps:
                    - widen:
                        assign:
                          - a: ${a + a}
                          - r: ${r + r}
            - r:
                return: ${text.replace_all(a, "a", r)}
            """
        #expect(try Harness.failureTags(source) == ["ResourceLimitError"])
    }

    @Test func variablesCreatedInALoopBodyAreNotVisibleAfterTheLoop() throws {
        let source = """
            - loop:
                for:
                  value: v
                  in: [1]
                  steps:
                    - inner:
                        assign:
                          - created: ${v}
            - r:
                return: ${created}
            """
        #expect(try Harness.failureTags(source) == ["KeyError"])
    }

    @Test func loopBodiesUpdateVariablesThatExistOutside() throws {
        let source = """
            - init:
                assign:
                  - n: 0
            - loop:
                for:
                  value: v
                  in: [1, 2, 3]
                  steps:
                    - inc:
                        assign:
                          - n: ${n + v}
            - r:
                return: ${n}
            """
        #expect(try Harness.run(source).get() == 6)
    }

    @Test func nestedStepsRunInline() throws {
        let source = """
            - outer:
                steps:
                  - a:
                      assign:
                        - x: 2
            - r:
                return: ${x}
            """
        #expect(try Harness.run(source).get() == 2)
    }

    @Test func raiseOfAMapFailsTheExecutionWithThatMap() throws {
        let source = """
            - fail:
                raise:
                  code: 55
                  message: boom
            """
        #expect(try Harness.run(source) == .failure(WorkflowError(raising: ["code": 55, "message": "boom"])))
    }

    @Test func exceptCatchesARaisedStringAsAMessage() throws {
        let source = """
            - t:
                try:
                  raise: oops
                except:
                  as: e
                  steps:
                    - r:
                        return: ${e.message}
            """
        #expect(try Harness.run(source).get() == "oops")
    }

    @Test func subworkflowsTakeNamedArgumentsWithDefaults() throws {
        let source = """
            main:
              steps:
                - c:
                    call: greet
                    args:
                      first: Ada
                    result: text
                - r:
                    return: ${text + "/" + greet("Grace", "Hopper")}
            greet:
              params: [first, last: Lovelace]
              steps:
                - r:
                    return: ${first + " " + last}
            """
        #expect(try Harness.run(source).get() == "Ada Lovelace/Grace Hopper")
    }

    @Test func subworkflowsDoNotSeeOrChangeTheCallersVariables() throws {
        let source = """
            main:
              steps:
                - a:
                    assign:
                      - x: main
                - c:
                    call: sub
                - r:
                    return: ${x}
            sub:
              steps:
                - a:
                    assign:
                      - x: sub
            """
        #expect(try Harness.run(source).get() == "main")
    }

    @Test func missingRequiredSubworkflowArgumentIsATypeError() throws {
        let source = """
            main:
              steps:
                - c:
                    call: sub
            sub:
              params: [needed]
              steps:
                - r:
                    return: ${needed}
            """
        #expect(try Harness.failureTags(source) == ["TypeError"])
    }

    @Test func unboundedRecursionIsARecursionErrorNotAStackOverflow() throws {
        let source = """
            main:
              steps:
                - c:
                    call: again
            again:
              steps:
                - c:
                    call: again
            """
        #expect(try Harness.failureTags(source) == ["RecursionError"])
    }

    @Test func recursionInsideExpressionsIsBoundedToo() throws {
        let source = """
            main:
              steps:
                - r:
                    return: ${fact(25)}
            fact:
              params: [n]
              steps:
                - r:
                    return: ${if(n <= 1, 1, n * fact(n - 1))}
            """
        #expect(try Harness.failureTags(source) == ["RecursionError"])
    }

    @Test func mainReceivesTheArgument() throws {
        let source = """
            main:
              params: [input]
              steps:
                - r:
                    return: ${input.name}
            """
        #expect(try Harness.run(source, argument: ["name": "x"]).get() == "x")
    }

    @Test func anExecutionThatRunsTooManyStepsFailsWithAResourceLimitError() throws {
        let source = """
            - loop:
                next: loop
            """
        #expect(try Harness.failureTags(source) == ["ResourceLimitError"])
    }
}
