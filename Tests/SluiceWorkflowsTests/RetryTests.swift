import OrderedCollections
import SluiceWorkflows
import Testing

@Suite struct RetryTests {
    static let flaky = """
        - init:
            assign:
              - attempts: 0
        - t:
            try:
              steps:
                - count:
                    assign:
                      - attempts: ${attempts + 1}
                - fail:
                    raise:
                      code: 503
                      message: unavailable
            retry:
              predicate: ${http.default_retry_predicate}
              max_retries: 4
              backoff:
                initial_delay: 1
                max_delay: 3
                multiplier: 2
            except:
              as: e
              steps:
                - r:
                    return: ${attempts}
        """

    @Test func retryReRunsTheWholeTryBlockUpToMaxRetriesThenExcepts() throws {
        #expect(try Harness.run(Self.flaky).get() == 5)
    }

    @Test func backoffDelaysGrowByTheMultiplierUpToTheMaximumAsSleepEffects() throws {
        var requests: [EffectRequest] = []
        _ = try Harness.run(Self.flaky, requests: &requests)
        #expect(requests.allSatisfy { $0.isRetryBackoff && $0.function == "sys.sleep" })
        #expect(requests.map { $0.arguments["seconds"] } == [1.0, 2.0, 3.0, 3.0])
    }

    @Test func theDefaultPredicateDoesNotRetryA500() throws {
        let source = Self.flaky.replacingOccurrences(of: "code: 503", with: "code: 500")
        #expect(try Harness.run(source).get() == 1)
    }

    @Test func retryNeverRunsTheBlockOnce() throws {
        let source = Self.flaky.replacingOccurrences(
            of: "${http.default_retry_predicate}", with: "${retry.never}")
        #expect(try Harness.run(source).get() == 1)
    }

    @Test func aSubworkflowCanDecideWhetherToRetry() throws {
        let source = """
            main:
              steps:
                - init:
                    assign:
                      - attempts: 0
                - t:
                    try:
                      steps:
                        - count:
                            assign:
                              - attempts: ${attempts + 1}
                        - fail:
                            raise:
                              retryable: ${attempts < 3}
                    retry:
                      predicate: ${decide}
                      max_retries: 10
                    except:
                      as: e
                      steps:
                        - r:
                            return: ${attempts}
            decide:
              params: [e]
              steps:
                - r:
                    return: ${e.retryable}
            """
        #expect(try Harness.run(source).get() == 3)
    }

    @Test func theDefaultHttpPolicyRetriesConnectionErrors() throws {
        let source = """
            - t:
                try:
                  call: http.get
                  args:
                    url: http://example.test
                  result: r
                retry: ${http.default_retry}
            - done:
                return: ${r.code}
            """
        var calls = 0
        let result = try Harness.run(source) { request in
            if request.function == "sys.sleep" { return .success(.null) }
            calls += 1
            return calls < 3 ? .failure(.connectionFailed("refused")) : .success(["code": 200])
        }
        #expect(try result.get() == 200)
        #expect(calls == 3)
    }

    @Test func anErrorInsideExceptPropagatesToTheOuterTry() throws {
        let source = """
            - outer:
                try:
                  steps:
                    - inner:
                        try:
                          raise: first
                        except:
                          steps:
                            - again:
                                raise: second
                except:
                  as: e
                  steps:
                    - r:
                        return: ${e.message}
            """
        #expect(try Harness.run(source).get() == "second")
    }
}
