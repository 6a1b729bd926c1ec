/// An event as a writer proposes it, before the log gives it a position and version.
public struct NewEvent: Sendable, Hashable {
    /// A past-tense fact in lower dotted form, such as `object.finalized`.
    public var type: String
    /// The event's JSON data, as UTF-8 text.
    public var data: String
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
}
