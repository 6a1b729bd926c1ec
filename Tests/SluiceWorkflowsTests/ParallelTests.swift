import SluiceWorkflows
import Testing

@Suite struct ParallelTests {
    @Test func branchesWriteSharedVariables() throws {
        let source = """
            - init:
                assign:
                  - total: 0
            - p:
                parallel:
                  shared: [total]
                  for:
                    value: v
                    in: [1, 2, 3, 4]
                    steps:
                      - add:
                          assign:
                            - total: ${total + v}
            - r:
                return: ${total}
            """
        #expect(try Harness.run(source).get() == 10)
    }

    @Test func unsharedWritesStayInsideTheBranch() throws {
        let source = """
            - init:
                assign:
                  - x: outer
            - p:
                parallel:
                  branches:
                    - a:
                        steps:
                          - set:
                              assign:
                                - x: inner
            - r:
                return: ${x}
            """
        #expect(try Harness.run(source).get() == "outer")
    }

    @Test func branchesInterleaveDeterministicallyAtEffects() throws {
        let source = """
            - init:
                assign:
                  - order: []
            - p:
                parallel:
                  shared: [order]
                  branches:
                    - a:
                        steps:
                          - wait:
                              call: sys.sleep
                              args:
                                seconds: 1
                          - note:
                              assign:
                                - order: ${list.concat(order, "a")}
                    - b:
                        steps:
                          - note:
                              assign:
                                - order: ${list.concat(order, "b")}
            - r:
                return: ${order}
            """
        #expect(try Harness.run(source).get() == ["b", "a"])
    }

    @Test func continueAllRaisesUnhandledBranchErrorAfterEveryBranch() throws {
        let source = """
            - init:
                assign:
                  - done: 0
            - t:
                try:
                  parallel:
                    exception_policy: continueAll
                    shared: [done]
                    branches:
                      - bad:
                          steps:
                            - fail:
                                raise: broken
                      - good:
                          steps:
                            - ok:
                                assign:
                                  - done: 1
                except:
                  as: e
                  steps:
                    - r:
                        return: ${[e.tags, done, len(e.branches)]}
            """
        #expect(try Harness.run(source).get() == [["UnhandledBranchError"], 1, 1])
    }

    @Test func withoutContinueAllTheFirstFailureCancelsTheOtherBranches() throws {
        let source = """
            - init:
                assign:
                  - x: 0
            - t:
                try:
                  parallel:
                    shared: [x]
                    branches:
                      - slow:
                          steps:
                            - wait:
                                call: sys.sleep
                                args:
                                  seconds: 5
                            - set:
                                assign:
                                  - x: 1
                      - fast:
                          steps:
                            - fail:
                                raise: boom
                except:
                  as: e
                  steps:
                    - r:
                        return: ${[e.message, x]}
            """
        #expect(try Harness.run(source).get() == ["boom", 0])
    }

    @Test func nestingParallelStepsDeeperThanTwoIsAParallelNestingError() throws {
        let source = """
            - a:
                parallel:
                  branches:
                    - b1:
                        steps:
                          - b:
                              parallel:
                                branches:
                                  - c1:
                                      steps:
                                        - c:
                                            parallel:
                                              branches:
                                                - d1:
                                                    steps:
                                                      - d:
                                                          return: 1
            """
        #expect(try Harness.failureTags(source) == ["ParallelNestingError"])
    }

    @Test func concurrencyLimitBoundsHowManyBranchesWaitAtOnce() throws {
        let source = """
            - p:
                parallel:
                  concurrency_limit: 2
                  for:
                    value: v
                    in: [1, 2, 3, 4, 5]
                    steps:
                      - wait:
                          call: sys.sleep
                          args:
                            seconds: ${v}
            """
        let definition = try WorkflowDefinition(source: source)
        var execution = WorkflowExecution(definition: definition)
        var widest = 0
        while case .effects(let requests) = execution.advance() {
            widest = max(widest, requests.count)
            execution.complete(effectID: requests[0].id, with: .success(.null))
        }
        #expect(widest == 2)
    }
}
