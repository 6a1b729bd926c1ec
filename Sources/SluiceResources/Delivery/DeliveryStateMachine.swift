public import SluiceCore

/// Decides what a subscription does with its messages: pure, no timers and no I/O.
///
/// The engine feeds it inputs with the current time and carries out the returned actions
/// (record them, send deliveries, publish dead letters, arm a timer for ``nextWakeUp``).
/// Because it is deterministic, feeding the recorded inputs again rebuilds the same state.
///
/// Semantics, after https://cloud.google.com/pubsub/docs/subscription-properties :
/// - A delivered message is leased until `now + ackDeadlineSeconds`; `modifyAckDeadline`
///   moves the deadline, and 0 is a nack.
/// - A nack or an expired lease is a failed attempt: the message is redelivered after the
///   retry policy's backoff (min·2^(failures-1), capped at max; immediately without a policy),
///   or dead-lettered once it has been delivered `maxDeliveryAttempts` times.
/// - With ordering, only the oldest unacknowledged message of each ordering key is eligible,
///   so a failed message blocks its key until it is acked or dead-lettered. (Pub/Sub may
///   lease several messages of a key at once; this machine leases one per key at a time.)
/// - With exactly-once, an ack or deadline change with an ack id that is no longer the
///   message's current, unexpired lease is rejected; otherwise a late ack of a message that is
///   still pending succeeds.
/// - Messages older than the retention period are dropped unless leased.
/// - Ack ids are `MESSAGE_ID#ATTEMPT`: deterministic, and unique per delivery.
public struct DeliveryStateMachine: Sendable, Hashable {
    /// What the machine is fed.
    public enum Input: Sendable, Hashable {
        /// A message published on the topic after the subscription was created.
        case enqueue(PubsubMessage)
        /// A message the subscription had delivered `attempts` times before a restart, none of
        /// them acknowledged: the lease that was out is gone, which counts as a failed attempt
        /// (redelivered after the backoff, or dead-lettered once the attempts are used up).
        case resume(PubsubMessage, attempts: Int)
        /// A subscriber (or the push dispatcher) asks for up to `maxMessages` messages.
        case pull(maxMessages: Int)
        /// A subscriber acknowledges a delivery.
        case acknowledge(ackID: String)
        /// A subscriber changes a lease's deadline; 0 nacks.
        case modifyAckDeadline(ackID: String, seconds: Int64)
        /// Time passes: expire leases and retained messages.
        case tick
    }

    /// What the engine must do and record.
    public enum Action: Sendable, Hashable {
        /// The filter did not match: the message is acknowledged without delivery.
        case filteredOut(messageID: String)
        /// Deliver a message under a new lease.
        case deliver(Delivery)
        /// A delivery was acknowledged; the message is done.
        case acknowledged(messageID: String, ackID: String)
        /// An ack or deadline change was refused (exactly-once, or a bad deadline).
        case rejected(ackID: String, reason: RejectionReason)
        /// A lease's deadline moved.
        case deadlineModified(ackID: String, deadline: Timestamp)
        /// A delivery failed (nack or expiry); the message is eligible again at `at`.
        case redeliveryScheduled(messageID: String, at: Timestamp, deliveryAttempt: Int)
        /// The message failed `deliveryAttempt` times: publish it on the dead-letter topic.
        case deadLettered(messageID: String, topic: TopicName, deliveryAttempt: Int)
        /// The message outlived the retention period and is dropped.
        case expired(messageID: String)
    }

    /// Why an ack or deadline change was refused.
    public enum RejectionReason: String, Sendable, Hashable {
        /// The lease expired or was replaced by a newer delivery.
        case leaseExpired
        /// No pending message has this ack id (already acked, dead-lettered, or never issued).
        case unknownAckID
        /// A deadline outside 0-600 seconds.
        case invalidDeadline
    }

    /// One lease of one message.
    public struct Delivery: Sendable, Hashable {
        /// The id to ack or modify the lease with.
        public var ackID: String
        /// The message.
        public var message: PubsubMessage
        /// 1 on the first delivery, +1 on each redelivery.
        public var deliveryAttempt: Int
        /// When the lease expires unless extended.
        public var deadline: Timestamp

        /// A delivery as the machine hands it out.
        public init(ackID: String, message: PubsubMessage, deliveryAttempt: Int, deadline: Timestamp) {
            self.ackID = ackID
            self.message = message
            self.deliveryAttempt = deliveryAttempt
            self.deadline = deadline
        }
    }

    /// The settings that drive delivery, taken from a ``SubscriptionConfig``.
    public struct Configuration: Sendable, Hashable {
        /// Lease length for new deliveries.
        public var ackDeadlineSeconds: Int64
        /// Backoff between redeliveries.
        public var retryPolicy: RetryPolicy?
        /// Dead-letter forwarding.
        public var deadLetterPolicy: DeadLetterPolicy?
        /// How long an unacknowledged message is kept.
        public var messageRetentionSeconds: Int64
        /// In order per ordering key.
        public var enableMessageOrdering: Bool
        /// Confirmed acks.
        public var enableExactlyOnceDelivery: Bool
        /// The parsed filter.
        public var filter: SubscriptionFilter?

        /// Takes the delivery settings from a subscription config, checking them (not the push
        /// endpoint, which the push sender checks before each call).
        public init(_ config: SubscriptionConfig) throws(SluiceError) {
            try config.validate(checkingPushEndpoint: false)
            ackDeadlineSeconds = config.ackDeadlineSeconds
            retryPolicy = config.retryPolicy
            deadLetterPolicy = config.deadLetterPolicy
            messageRetentionSeconds = config.messageRetentionSeconds
            enableMessageOrdering = config.enableMessageOrdering
            enableExactlyOnceDelivery = config.enableExactlyOnceDelivery
            filter = try config.filter.map { (text) throws(SluiceError) in try SubscriptionFilter(parsing: text) }
        }
    }

    struct Entry: Sendable, Hashable {
        var message: PubsubMessage
        var attempts: Int
        var availableAt: Timestamp
        var lease: (ackID: String, deadline: Timestamp)?

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.message == rhs.message && lhs.attempts == rhs.attempts && lhs.availableAt == rhs.availableAt
                && lhs.lease?.ackID == rhs.lease?.ackID && lhs.lease?.deadline == rhs.lease?.deadline
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(message.messageID)
            hasher.combine(attempts)
            hasher.combine(lease?.ackID)
        }
    }

    /// The settings.
    public private(set) var configuration: Configuration
    var entries: [String: Entry] = [:]
    var order: [String] = []
    var orderStart = 0
    var leases: [String: String] = [:]
    /// No lease expires before this; lets most inputs skip the lease scan. Never later than the
    /// earliest real deadline (extensions only move deadlines later).
    var earliestDeadline: Timestamp?

    /// A machine with no messages.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Takes new settings (a subscription update), keeping every pending message and lease:
    /// new leases use the new ack deadline, redeliveries the new policies.
    public mutating func reconfigure(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// Messages not yet acknowledged, dead-lettered or expired.
    public var backlogCount: Int { entries.count }

    /// Messages currently leased.
    public var outstandingCount: Int { leases.count }

    /// Feeds one input at time `now` and returns the actions, in order. Expired leases and
    /// retained messages are processed first, so every input sees the state as of `now`.
    public mutating func handle(_ input: Input, now: Timestamp) -> [Action] {
        var actions = expire(now: now)
        switch input {
        case .enqueue(let message): actions += enqueue(message, now: now)
        case .resume(let message, let attempts): actions += resume(message, attempts: attempts, now: now)
        case .pull(let maxMessages): actions += pull(maxMessages: maxMessages, now: now)
        case .acknowledge(let ackID): actions += acknowledge(ackID, now: now)
        case .modifyAckDeadline(let ackID, let seconds): actions += modifyDeadline(ackID, seconds: seconds, now: now)
        case .tick: break
        }
        return actions
    }

    /// When something will happen without input: the earliest lease deadline or backoff end
    /// in the future. The engine arms a durable timer for it and sends `.tick` then.
    public func nextWakeUp(after now: Timestamp) -> Timestamp? {
        var earliest: Timestamp?
        for entry in entries.values {
            let time = entry.lease?.deadline ?? entry.availableAt
            guard time > now else { continue }
            if earliest.map({ time < $0 }) ?? true { earliest = time }
        }
        return earliest
    }
}
