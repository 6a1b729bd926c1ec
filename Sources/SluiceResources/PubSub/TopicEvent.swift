public import SluiceCore

/// A fact about a topic, recorded in its `topic/NAME` stream.
public enum TopicEvent: Sendable, Hashable {
    /// `topic.created`.
    case created(TopicCreated)
    /// `topic.deleted`.
    case deleted(TopicDeleted)
    /// `message.published`: one message, whose id is the event's stream version.
    case messagePublished(PubsubMessage)

    /// The event type names, as stored in the log.
    public enum TypeName {
        /// A topic was created.
        public static let created = "topic.created"
        /// A topic was deleted.
        public static let deleted = "topic.deleted"
        /// A message was published.
        public static let messagePublished = "message.published"
    }

    /// The event's type name.
    public var type: String {
        switch self {
        case .created: TypeName.created
        case .deleted: TypeName.deleted
        case .messagePublished: TypeName.messagePublished
        }
    }

    /// The event that publishes `draft` at `now`: the topic's stream version becomes its id.
    public static func publishing(_ draft: PubsubMessage, at now: Timestamp, metadata: EventMetadata)
        throws(SluiceError) -> NewEvent
    {
        var message = draft
        message.messageID = ""
        message.publishTime = now
        try message.validate()
        return TopicEvent.messagePublished(message).newEvent(metadata: metadata)
    }

    /// The event ready to append.
    public func newEvent(metadata: EventMetadata = .empty) -> NewEvent {
        let data =
            switch self {
            case .created(let payload): EventCoding.encode(payload)
            case .deleted(let payload): EventCoding.encode(payload)
            case .messagePublished(let payload): EventCoding.encode(payload, writtenAs: payload.json())
            }
        return NewEvent(type: type, encodedData: data, metadata: metadata)
    }

    /// Decodes a recorded event of one of the topic types.
    public init(_ event: RecordedEvent) throws(SluiceError) {
        switch event.type {
        case TypeName.created: self = .created(try EventCoding.decode(TopicCreated.self, from: event))
        case TypeName.deleted: self = .deleted(try EventCoding.decode(TopicDeleted.self, from: event))
        case TypeName.messagePublished:
            var message = try EventCoding.decode(
                PubsubMessage.self, from: event, decodeStored: PubsubMessage.decodeStored)
            // The id is the stream version the message got, so concurrent publishes need no lock.
            if message.messageID.isEmpty { message.messageID = String(event.version) }
            self = .messagePublished(message)
        default: throw EventCoding.unknownType(event)
        }
    }
}

/// The payload of `topic.created`.
public struct TopicCreated: Sendable, Hashable, Codable {
    /// The topic's id.
    public var name: TopicName
    /// Labels, as in the REST API.
    public var labels: [String: String]
    /// When the topic was created.
    public var time: Timestamp

    /// Creates the payload.
    public init(name: TopicName, labels: [String: String] = [:], time: Timestamp) {
        self.name = name
        self.labels = labels
        self.time = time
    }
}

/// The payload of `topic.deleted`.
public struct TopicDeleted: Sendable, Hashable, Codable {
    /// When the topic was deleted.
    public var time: Timestamp

    /// Creates the payload.
    public init(time: Timestamp) { self.time = time }
}

/// A topic, rebuilt by folding its events.
public struct TopicState: Sendable, Hashable {
    /// The topic's id once created.
    public var name: TopicName?
    /// Whether the topic exists.
    public var exists: Bool
    /// Labels.
    public var labels: [String: String]
    /// Messages published over the topic's whole history.
    public var publishedCount: Int64
    /// The stream version of the last event folded.
    public var version: Int64

    /// The state before the topic is created.
    public init() {
        name = nil
        exists = false
        labels = [:]
        publishedCount = 0
        version = 0
    }

    /// Applies one event. Throws `corruptStore` when the event contradicts the state.
    public mutating func apply(_ event: TopicEvent) throws(SluiceError) {
        switch event {
        case .created(let payload):
            guard !exists else { throw SluiceError(.corruptStore, "topic \(payload.name) is created twice") }
            name = payload.name
            exists = true
            labels = payload.labels
        case .deleted:
            guard exists else { throw SluiceError(.corruptStore, "a missing topic is deleted") }
            exists = false
        case .messagePublished(let message):
            guard exists else { throw SluiceError(.corruptStore, "message \(message.messageID) on a missing topic") }
            publishedCount += 1
        }
        version += 1
    }

    /// The events that publish messages: ids are the stream versions the events will get, so
    /// they are unique within the topic and need no randomness.
    public func publish(
        _ drafts: [PubsubMessage],
        now: Timestamp
    ) throws(SluiceError) -> [TopicEvent] {
        guard exists, let name else { throw SluiceError(.notFound, "the topic does not exist") }
        guard (1...1000).contains(drafts.count) else {
            throw SluiceError(.invalidArgument, "a publish to \(name) carries 1 to 1000 messages")
        }
        var events: [TopicEvent] = []
        for (index, draft) in drafts.enumerated() {
            var message = draft
            message.messageID = String(version + Int64(index) + 1)
            message.publishTime = now
            try message.validate()
            events.append(.messagePublished(message))
        }
        return events
    }
}
