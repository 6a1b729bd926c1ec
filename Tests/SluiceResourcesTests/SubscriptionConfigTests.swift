import SluiceCore
import SluiceResources
import Testing

@Suite struct SubscriptionConfigTests {
    static func config(_ change: (inout SubscriptionConfig) -> Void = { _ in }) -> SubscriptionConfig {
        var config = SubscriptionConfig(name: try! SubscriptionName("sub"), topic: Fixtures.topic())
        change(&config)
        return config
    }

    @Test func defaultsFollowPubSub() throws {
        let config = Self.config()
        #expect(config.ackDeadlineSeconds == 10)
        #expect(config.messageRetentionSeconds == 604_800)
        #expect(RetryPolicy().minimumBackoffSeconds == 10)
        #expect(RetryPolicy().maximumBackoffSeconds == 600)
        try config.validate()
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var label: String
        var change: @Sendable (inout SubscriptionConfig) -> Void
        var testDescription: String { label }
    }

    static let invalid: [Invalid] = [
        Invalid(label: "ack deadline 9") { $0.ackDeadlineSeconds = 9 },
        Invalid(label: "ack deadline 601") { $0.ackDeadlineSeconds = 601 },
        Invalid(label: "backoff above 600") {
            $0.retryPolicy = RetryPolicy(minimumBackoffSeconds: 10, maximumBackoffSeconds: 601)
        },
        Invalid(label: "min above max") {
            $0.retryPolicy = RetryPolicy(minimumBackoffSeconds: 60, maximumBackoffSeconds: 30)
        },
        Invalid(label: "4 attempts") {
            $0.deadLetterPolicy = DeadLetterPolicy(deadLetterTopic: Fixtures.topic("dlq"), maxDeliveryAttempts: 4)
        },
        Invalid(label: "101 attempts") {
            $0.deadLetterPolicy = DeadLetterPolicy(deadLetterTopic: Fixtures.topic("dlq"), maxDeliveryAttempts: 101)
        },
        Invalid(label: "retention 9 minutes") { $0.messageRetentionSeconds = 540 },
        Invalid(label: "retention 32 days") { $0.messageRetentionSeconds = 32 * 86_400 },
        Invalid(label: "bad filter") { $0.filter = "attributes.x = 1" },
        Invalid(label: "exactly-once push") {
            $0.pushConfig = PushConfig(pushEndpoint: "https://example.com/push")
            $0.enableExactlyOnceDelivery = true
        },
        Invalid(label: "push endpoint not http") { $0.pushConfig = PushConfig(pushEndpoint: "ftp://example.com") },
    ]

    @Test(arguments: invalid)
    func outOfRangeSettingsAreRejected(_ testCase: Invalid) {
        #expect(throws: SluiceError(.invalidArgument, "")) { try Self.config(testCase.change).validate() }
    }

    @Test func anAckDeadlineOfZeroMeansTheDefault() {
        let config = SubscriptionConfig(
            name: try! SubscriptionName("sub"), topic: Fixtures.topic(), ackDeadlineSeconds: 0)
        #expect(config.ackDeadlineSeconds == 10)
    }

    @Test(arguments: [(1, 10), (2, 20), (3, 40), (6, 320), (7, 600), (30, 600)])
    func backoffDoublesFromTheMinimumUpToTheMaximum(failures: Int, seconds: Int64) {
        #expect(RetryPolicy().backoffSeconds(afterFailures: failures) == seconds)
    }

    @Test func aSubscriptionCannotBeCreatedTwice() throws {
        var state = SubscriptionState()
        for event in try state.create(Self.config(), now: Fixtures.time(0)) { try state.apply(event) }
        #expect(throws: SluiceError(.alreadyExists, "")) { try state.create(Self.config(), now: Fixtures.time(1)) }
    }
}
