/// An event as a writer proposes it, before the log gives it a position and version.
public struct NewEvent: Sendable, Hashable {
    /// A past-tense fact in lower dotted form, such as `object.finalized`.
    public var type: String
    /// The event's JSON data, as UTF-8 text.
    public var data: String {
        didSet { dataIsEncodedJSON = false }
    }
    /// Correlation, causation, principal and free keys.
    public var metadata: EventMetadata
    /// The event's id; a new UUIDv7 is assigned by the log when absent.
    public var id: EventID?

    /// Creates an event to append. `data` must be a JSON document.
    public init(type: String, data: String = "{}", metadata: EventMetadata = .empty, id: EventID? = nil) {
        self.type = type
        self.data = data
        self.metadata = metadata
        self.id = id
    }

    /// Whether `data` came from one of Sluice's own JSON encoders, so the log need not scan it
    /// again to know it is JSON (every event of the pipeline does). Not part of the event's
    /// identity, and lost when `data` changes.
    package private(set) var dataIsEncodedJSON = false

    /// An event whose data an encoder of this package just wrote; debug builds check it is JSON.
    package init(type: String, encodedData: String, metadata: EventMetadata = .empty) {
        self.init(type: type, data: encodedData, metadata: metadata)
        dataIsEncodedJSON = true
    }

    public static func == (lhs: NewEvent, rhs: NewEvent) -> Bool {
        lhs.type == rhs.type && lhs.data == rhs.data && lhs.metadata == rhs.metadata && lhs.id == rhs.id
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(data)
        hasher.combine(metadata)
        hasher.combine(id)
    }
}
