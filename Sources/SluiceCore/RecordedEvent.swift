/// An event as the log holds it: durable, positioned, versioned and immutable.
public struct RecordedEvent: Sendable, Hashable {
    /// The event's place in the whole log: 1, 2, 3, ... with no gaps.
    public var position: Int64
    /// The stream the event belongs to.
    public var stream: StreamName
    /// The event's place in its stream: 1, 2, 3, ... with no gaps.
    public var version: Int64
    /// A past-tense fact in lower dotted form.
    public var type: String
    /// The event's JSON data as UTF-8 text.
    public var data: String
    /// Correlation, causation, principal and free keys.
    public var metadata: EventMetadata
    /// When the log recorded the event, in microseconds since the Unix epoch; never decreasing with position.
    public var timestamp: Int64
    /// The event's unique id.
    public var id: EventID

    /// Creates a recorded event; only logs and tests create these.
    public init(
        position: Int64,
        stream: StreamName,
        version: Int64,
        type: String,
        data: String,
        metadata: EventMetadata,
        timestamp: Int64,
        id: EventID
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.type = type
        self.data = data
        self.metadata = metadata
        self.timestamp = timestamp
        self.id = id
    }
}
