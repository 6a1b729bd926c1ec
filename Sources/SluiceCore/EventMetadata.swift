/// What the log records about an event besides its data: where it came from and why.
///
/// The correlation id ties one upload's whole journey together; the causation id names the
/// event that caused this one; the principal is who asked for it.
public struct EventMetadata: Sendable, Hashable, Codable {
    /// Shared by every event of one logical journey (one upload through the pipeline).
    public var correlationID: String?
    /// The id of the event that caused this one.
    public var causationID: String?
    /// Who caused the event: a token id, `system`, or a CLI user.
    public var principal: String?
    /// Free keys, for what the fixed fields do not cover.
    public var extra: [String: String]

    /// Creates metadata; every field is optional.
    public init(
        correlationID: String? = nil,
        causationID: String? = nil,
        principal: String? = nil,
        extra: [String: String] = [:]
    ) {
        self.correlationID = correlationID
        self.causationID = causationID
        self.principal = principal
        self.extra = extra
    }

    /// Metadata with nothing set.
    public static let empty = EventMetadata()
}
