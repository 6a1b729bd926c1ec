public import SluiceCore

/// A fact about a subscription's configuration, recorded in its `subscription/NAME` stream.
///
/// Delivery facts (leases, acks, redeliveries) are the engine's and live beside these in the
/// same stream; ``DeliveryStateMachine`` decides them.
public enum SubscriptionEvent: Sendable, Hashable {
    /// `subscription.created`.
    case created(SubscriptionCreated)
    /// `subscription.deleted`.
    case deleted(SubscriptionDeleted)
    /// `subscription.updated`: the whole new configuration (PATCH, modifyPushConfig).
    case updated(SubscriptionUpdated)

    /// The event type names, as stored in the log.
    public enum TypeName {
        /// A subscription was created.
        public static let created = "subscription.created"
        /// A subscription was deleted.
        public static let deleted = "subscription.deleted"
        /// A subscription's configuration changed.
        public static let updated = "subscription.updated"
    }

    /// The event's type name.
    public var type: String {
        switch self {
        case .created: TypeName.created
        case .deleted: TypeName.deleted
        case .updated: TypeName.updated
        }
    }

    /// The event ready to append.
    public func newEvent(metadata: EventMetadata = .empty) -> NewEvent {
        let data =
            switch self {
            case .created(let payload): EventCoding.encode(payload)
            case .deleted(let payload): EventCoding.encode(payload)
            case .updated(let payload): EventCoding.encode(payload)
            }
        return NewEvent(type: type, encodedData: data, metadata: metadata)
    }

    /// Decodes a recorded event of one of the subscription types.
    public init(_ event: RecordedEvent) throws(SluiceError) {
        switch event.type {
        case TypeName.created: self = .created(try EventCoding.decode(SubscriptionCreated.self, from: event))
        case TypeName.deleted: self = .deleted(try EventCoding.decode(SubscriptionDeleted.self, from: event))
        case TypeName.updated: self = .updated(try EventCoding.decode(SubscriptionUpdated.self, from: event))
        default: throw EventCoding.unknownType(event)
        }
    }
}

/// The payload of `subscription.created`.
public struct SubscriptionCreated: Sendable, Hashable, Codable {
    /// The validated configuration.
    public var config: SubscriptionConfig
    /// When the subscription was created; it receives messages published from then on.
    public var time: Timestamp

    /// Creates the payload.
    public init(config: SubscriptionConfig, time: Timestamp) {
        self.config = config
        self.time = time
    }
}

/// The payload of `subscription.deleted`.
public struct SubscriptionDeleted: Sendable, Hashable, Codable {
    /// When the subscription was deleted.
    public var time: Timestamp

    /// Creates the payload.
    public init(time: Timestamp) { self.time = time }
}

/// The payload of `subscription.updated`.
public struct SubscriptionUpdated: Sendable, Hashable, Codable {
    /// The validated new configuration.
    public var config: SubscriptionConfig
    /// The fields that changed, as the update mask named them.
    public var fields: [String]
    /// When it changed.
    public var time: Timestamp

    /// Creates the payload.
    public init(config: SubscriptionConfig, fields: [String], time: Timestamp) {
        self.config = config
        self.fields = fields
        self.time = time
    }
}

/// A subscription's configuration, rebuilt by folding its events.
public struct SubscriptionState: Sendable, Hashable {
    /// The configuration while the subscription exists.
    public var config: SubscriptionConfig?
    /// When it was created.
    public var created: Timestamp?
    /// The log position of its creation, which decides whether its topic still feeds it: see
    /// ``PubSubService/isDetached(topic:subscriptionCreatedAt:)``. Set by the loader, which sees
    /// the recorded events.
    public var createdPosition: Int64?

    /// The state before the subscription is created.
    public init() {
        config = nil
        created = nil
        createdPosition = nil
    }

    /// Applies one event. Throws `corruptStore` when the event contradicts the state.
    public mutating func apply(_ event: SubscriptionEvent) throws(SluiceError) {
        switch event {
        case .created(let payload):
            guard config == nil else {
                throw SluiceError(.corruptStore, "subscription \(payload.config.name) is created twice")
            }
            config = payload.config
            created = payload.time
        case .deleted:
            guard config != nil else { throw SluiceError(.corruptStore, "a missing subscription is deleted") }
            config = nil
            created = nil
            createdPosition = nil
        case .updated(let payload):
            guard config != nil else { throw SluiceError(.corruptStore, "a missing subscription is updated") }
            config = payload.config
        }
    }

    /// The event that creates a subscription after validating its configuration.
    public func create(_ config: SubscriptionConfig, now: Timestamp) throws(SluiceError) -> [SubscriptionEvent] {
        guard self.config == nil else {
            throw SluiceError(.alreadyExists, "subscription \(config.name) already exists")
        }
        try config.validate()
        return [.created(SubscriptionCreated(config: config, time: now))]
    }

    /// The event that replaces the configuration with `new`, after checking that it names the
    /// same subscription and topic and keeps what Pub/Sub does not let change.
    public func update(to new: SubscriptionConfig, fields: [String], now: Timestamp) throws(SluiceError)
        -> [SubscriptionEvent]
    {
        guard let current = config else { throw SluiceError(.notFound, "subscription \(new.name) does not exist") }
        func immutable(_ field: String) -> SluiceError {
            SluiceError(.invalidArgument, "subscription \(new.name): \(field) cannot be changed after creation")
        }
        guard new.name == current.name else {
            throw SluiceError(.invalidArgument, "the subscription name cannot change")
        }
        guard new.topic == current.topic else { throw immutable("topic") }
        guard new.filter == current.filter else { throw immutable("filter") }
        guard new.enableMessageOrdering == current.enableMessageOrdering else {
            throw immutable("enableMessageOrdering")
        }
        try new.validate()
        var updated = new
        updated.project = new.project ?? current.project
        return [.updated(SubscriptionUpdated(config: updated, fields: fields, time: now))]
    }
}
