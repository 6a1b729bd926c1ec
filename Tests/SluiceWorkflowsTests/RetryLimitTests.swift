import SluiceWorkflows
import Testing

/// Retries count against the step limit, and the ResourceLimitError they reach ends the execution.
@Suite struct RetryLimitTests {
    static func endlessRetry(maxRetries: String = "1000000000") -> String {
        """
        - t:
            try:
              raise: "x"
            retry:
              predicate: ${retry.always}
              max_retries: \(maxRetries)
              backoff:
                initial_delay: 0.0001
                max_delay: 0.0001
                multiplier: 1
            except:
              as: e
              steps:
                - caught:
                    return: ${e}
        """
    }

    /// Runs `source` with a step limit of `maximumSteps`, answering every sleep, for at most
    /// `rounds` rounds of effects: nil if it has not ended by then.
    static func run(_ source: String, maximumSteps: Int, rounds: Int = 10_000) throws -> Result<
        WorkflowValue, WorkflowError
    >? {
        var execution = WorkflowExecution(
            definition: try WorkflowDefinition(source: source),
            environment: WorkflowEnvironment(maximumSteps: maximumSteps))
        for _ in 0..<rounds {
            switch execution.advance() {
            case .finished(let value): return .success(value)
            case .failed(let error): return .failure(error)
            case .effects(let pending):
                for request in pending { execution.complete(effectID: request.id, with: .success(.null)) }
            }
        }
        return nil
    }

    @Test func aRetryLoopWithATinyBackoffEndsWithAResourceLimitError() throws {
        let outcome = try Self.run(Self.endlessRetry(), maximumSteps: 100)
        guard case .failure(let error)? = outcome else {
            Issue.record("the retry loop did not fail: \(String(describing: outcome))")
            return
        }
        #expect(error.tags == ["ResourceLimitError"])
    }

    @Test func eachRetryAttemptCountsAsAStep() throws {
        // The try, its body, three times a retry and the body again, then the except step: nine steps.
        let source = Self.endlessRetry(maxRetries: "3")
        #expect(try Self.run(source, maximumSteps: 9)?.get() != nil)
        guard case .failure(let error)? = try Self.run(source, maximumSteps: 8) else {
            Issue.record("eight steps were enough for three retries and the except step")
            return
        }
        #expect(error.tags == ["ResourceLimitError"])
    }
}
