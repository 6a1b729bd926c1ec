import SluiceWorkflows
import Testing

/// Literal retry settings no retry can run with are refused when the workflow is deployed.
@Suite struct RetryValidationTests {
    static func retrying(
        maxRetries: String = "3", initial: String = "1", maximum: String = "10", multiplier: String = "2"
    )
        -> String
    {
        """
        - t:
            try:
              raise: "x"
            retry:
              predicate: ${retry.always}
              max_retries: \(maxRetries)
              backoff:
                initial_delay: \(initial)
                max_delay: \(maximum)
                multiplier: \(multiplier)
        """
    }

    static func problem(_ source: String) -> WorkflowValidationError? {
        do {
            _ = try WorkflowDefinition(source: source)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "impossible literal retry settings are rejected with the setting's name",
        arguments: [
            (retrying(maxRetries: "-1"), "max_retries"), (retrying(initial: "-5"), "initial_delay"),
            (retrying(initial: ".inf"), "initial_delay"), (retrying(maximum: "-0.5"), "max_delay"),
            (retrying(maximum: ".nan"), "max_delay"), (retrying(multiplier: "0.5"), "multiplier"),
            (retrying(multiplier: "1e400"), "multiplier"),
        ])
    func impossibleSettingsAreRejected(source: String, setting: String) throws {
        let error = try #require(Self.problem(source))
        #expect(error.message.contains(setting))
    }

    @Test func boundarySettingsAndExpressionsAreAccepted() {
        #expect(Self.problem(Self.retrying(maxRetries: "0", initial: "0", maximum: "0", multiplier: "1")) == nil)
        #expect(Self.problem(Self.retrying(maxRetries: "${-1}", multiplier: "${0.5}")) == nil)
    }
}
