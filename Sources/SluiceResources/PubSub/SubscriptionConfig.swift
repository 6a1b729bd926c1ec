public import SluiceCore

/// A subscription's settings, validated by the ranges of
/// https://cloud.google.com/pubsub/docs/subscription-properties .
///
/// Durations are whole seconds: fractional Pub/Sub durations are not supported.
public struct SubscriptionConfig: Sendable, Hashable, Codable {
    /// The subscription's id.
    public var name: SubscriptionName
    /// The topic it receives from.
    public var topic: TopicName
    /// Seconds a delivered message is leased before it is redelivered: 10 to 600.
    public var ackDeadlineSeconds: Int64
    /// Backoff between redeliveries; `nil` redelivers as soon as possible.
    public var retryPolicy: RetryPolicy?
    /// Where undeliverable messages go; `nil` retries forever (within retention).
    public var deadLetterPolicy: DeadLetterPolicy?
    /// How long unacknowledged messages are kept: 10 minutes to 31 days.
    public var messageRetentionSeconds: Int64
    /// Whether acknowledged messages are kept for the retention period too.
    public var retainAckedMessages: Bool
    /// An attribute filter in Pub/Sub's filter syntax; immutable after creation.
    public var filter: String?
    /// Deliver messages with the same ordering key in publish order.
    public var enableMessageOrdering: Bool
    /// Acks are confirmed and an acked message is never redelivered; pull only.
    public var enableExactlyOnceDelivery: Bool
    /// Push delivery; `nil` for pull.
    public var pushConfig: PushConfig?
    /// The project named in the request that created it (Sluice has one namespace, but push
    /// requests name the subscription as `projects/P/subscriptions/S`); nil: the server's default.
    public var project: String?

    /// The default ack deadline.
    public static let defaultAckDeadlineSeconds: Int64 = 10
    /// The default retention: 7 days.
    public static let defaultMessageRetentionSeconds: Int64 = 7 * 86_400

    /// Creates a config with Pub/Sub's defaults; an ack deadline of 0 means the default.
    public init(
        name: SubscriptionName,
        topic: TopicName,
        ackDeadlineSeconds: Int64 = 0,
        retryPolicy: RetryPolicy? = nil,
        deadLetterPolicy: DeadLetterPolicy? = nil,
        messageRetentionSeconds: Int64 = Self.defaultMessageRetentionSeconds,
        retainAckedMessages: Bool = false,
        filter: String? = nil,
        enableMessageOrdering: Bool = false,
        enableExactlyOnceDelivery: Bool = false,
        pushConfig: PushConfig? = nil
    ) {
        self.name = name
        self.topic = topic
        self.ackDeadlineSeconds = ackDeadlineSeconds == 0 ? Self.defaultAckDeadlineSeconds : ackDeadlineSeconds
        self.retryPolicy = retryPolicy
        self.deadLetterPolicy = deadLetterPolicy
        self.messageRetentionSeconds = messageRetentionSeconds
        self.retainAckedMessages = retainAckedMessages
        self.filter = filter
        self.enableMessageOrdering = enableMessageOrdering
        self.enableExactlyOnceDelivery = enableExactlyOnceDelivery
        self.pushConfig = pushConfig
    }

    /// Checks every documented range and the filter's syntax; the push endpoint too unless told
    /// not to.
    public func validate(checkingPushEndpoint: Bool = true) throws(SluiceError) {
        func fail(_ why: String) -> SluiceError { SluiceError(.invalidArgument, "subscription \(name): \(why)") }
        guard (10...600).contains(ackDeadlineSeconds) else {
            throw fail("ackDeadlineSeconds must be between 10 and 600, not \(ackDeadlineSeconds)")
        }
        if let retryPolicy {
            let range: ClosedRange<Int64> = 0...600
            guard range.contains(retryPolicy.minimumBackoffSeconds), range.contains(retryPolicy.maximumBackoffSeconds)
            else { throw fail("retry backoffs must be between 0 and 600 seconds") }
            guard retryPolicy.minimumBackoffSeconds <= retryPolicy.maximumBackoffSeconds else {
                throw fail("the minimum backoff must not exceed the maximum backoff")
            }
        }
        if let deadLetterPolicy {
            guard (5...100).contains(deadLetterPolicy.maxDeliveryAttempts) else {
                throw fail("maxDeliveryAttempts must be between 5 and 100, not \(deadLetterPolicy.maxDeliveryAttempts)")
            }
        }
        guard (600...(31 * 86_400)).contains(messageRetentionSeconds) else {
            throw fail("messageRetentionDuration must be between 10 minutes and 31 days")
        }
        if let filter { _ = try SubscriptionFilter(parsing: filter) }
        if let pushConfig {
            guard !enableExactlyOnceDelivery else { throw fail("exactly-once delivery is for pull subscriptions only") }
            if checkingPushEndpoint {
                try OutboundURL.check(pushConfig.pushEndpoint, "subscription \(name): the push endpoint")
            }
            try PubsubMessage.validate(attributes: ExactStringMap(pushConfig.attributes))
        }
    }
}

/// Backoff between redeliveries: exponential from the minimum, capped at the maximum.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// The first backoff, in seconds (default 10).
    public var minimumBackoffSeconds: Int64
    /// The largest backoff, in seconds (default 600).
    public var maximumBackoffSeconds: Int64

    /// Creates a policy with Pub/Sub's defaults.
    public init(minimumBackoffSeconds: Int64 = 10, maximumBackoffSeconds: Int64 = 600) {
        self.minimumBackoffSeconds = minimumBackoffSeconds
        self.maximumBackoffSeconds = maximumBackoffSeconds
    }

    /// The backoff after the `failures`-th failed delivery (1 is the first): min·2^(failures-1), capped at max.
    public func backoffSeconds(afterFailures failures: Int) -> Int64 {
        var delay = minimumBackoffSeconds
        var doublings = max(0, failures - 1)
        while doublings > 0, delay < maximumBackoffSeconds {
            delay = delay == 0 ? 0 : delay * 2
            doublings -= 1
        }
        return min(delay, maximumBackoffSeconds)
    }
}

/// Forwarding of messages that failed too often.
public struct DeadLetterPolicy: Sendable, Hashable, Codable {
    /// The topic failed messages are published to.
    public var deadLetterTopic: TopicName
    /// Delivery attempts before forwarding: 5 to 100 (default 5).
    public var maxDeliveryAttempts: Int

    /// Creates a policy.
    public init(deadLetterTopic: TopicName, maxDeliveryAttempts: Int = 5) {
        self.deadLetterTopic = deadLetterTopic
        self.maxDeliveryAttempts = maxDeliveryAttempts
    }
}

/// Push delivery to an HTTP endpoint.
public struct PushConfig: Sendable, Hashable, Codable {
    /// The URL messages are POSTed to.
    public var pushEndpoint: String
    /// Endpoint attributes (such as `x-goog-version`), as in the REST API.
    public var attributes: [String: String]
    /// Send the raw data as the body instead of the JSON wrapper.
    public var noWrapper: Bool
    /// With `noWrapper`: send the attributes and message metadata as `x-goog-pubsub-*` headers
    /// (`nil` in configs recorded before the setting existed: no).
    public var writeMetadata: Bool?
    /// Authenticated push: each request carries an ID token for this service account.
    public var oidcToken: OIDCToken?

    /// Creates a push config.
    public init(
        pushEndpoint: String, attributes: [String: String] = [:], noWrapper: Bool = false, writeMetadata: Bool = false,
        oidcToken: OIDCToken? = nil
    ) {
        self.pushEndpoint = pushEndpoint
        self.attributes = attributes
        self.noWrapper = noWrapper
        self.writeMetadata = noWrapper ? writeMetadata : nil
        self.oidcToken = oidcToken
    }

    /// Pub/Sub's `pushConfig.oidcToken`: who the token asserts and whom it is for.
    public struct OIDCToken: Sendable, Hashable, Codable {
        /// The service account the token is issued for (`email` and `sub`).
        public var serviceAccountEmail: String
        /// The token's `aud`; empty means the push endpoint, as in Pub/Sub.
        public var audience: String

        /// Creates a token setting.
        public init(serviceAccountEmail: String, audience: String = "") {
            self.serviceAccountEmail = serviceAccountEmail
            self.audience = audience
        }
    }
}
