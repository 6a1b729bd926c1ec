public import SluiceCore

/// A fact about one object name, recorded in its `object/BUCKET/NAME` stream.
public enum ObjectEvent: Sendable, Hashable {
    /// `object.finalized`: a new generation became the live object.
    case finalized(ObjectFinalized)
    /// `object.metadata_updated`: a generation's metadata changed.
    case metadataUpdated(ObjectMetadataUpdated)
    /// `object.archived`: the live generation became noncurrent (versioned buckets only).
    case archived(ObjectRemoved)
    /// `object.deleted`: a generation was permanently deleted.
    case deleted(ObjectRemoved)

    /// The event type names, as stored in the log.
    public enum TypeName {
        /// A new generation became live.
        public static let finalized = "object.finalized"
        /// A generation's metadata changed.
        public static let metadataUpdated = "object.metadata_updated"
        /// The live generation became noncurrent.
        public static let archived = "object.archived"
        /// A generation was permanently deleted.
        public static let deleted = "object.deleted"
    }

    /// The event's type name.
    public var type: String {
        switch self {
        case .finalized: TypeName.finalized
        case .metadataUpdated: TypeName.metadataUpdated
        case .archived: TypeName.archived
        case .deleted: TypeName.deleted
        }
    }

    /// The event ready to append.
    public func newEvent(metadata: EventMetadata = .empty) -> NewEvent {
        let data =
            switch self {
            case .finalized(let payload): EventCoding.encode(payload, writtenAs: payload.json())
            case .metadataUpdated(let payload): EventCoding.encode(payload)
            case .archived(let payload), .deleted(let payload): EventCoding.encode(payload)
            }
        return NewEvent(type: type, encodedData: data, metadata: metadata)
    }

    /// Decodes a recorded event of one of the object types.
    public init(_ event: RecordedEvent) throws(SluiceError) {
        switch event.type {
        case TypeName.finalized:
            self = .finalized(
                try EventCoding.decode(ObjectFinalized.self, from: event, decodeStored: ObjectFinalized.decodeStored))
        case TypeName.metadataUpdated:
            self = .metadataUpdated(try EventCoding.decode(ObjectMetadataUpdated.self, from: event))
        case TypeName.archived: self = .archived(try EventCoding.decode(ObjectRemoved.self, from: event))
        case TypeName.deleted: self = .deleted(try EventCoding.decode(ObjectRemoved.self, from: event))
        default: throw EventCoding.unknownType(event)
        }
    }
}

/// The payload of `object.finalized`.
public struct ObjectFinalized: Sendable, Hashable, Codable {
    /// The new live generation, with metageneration 1.
    public var object: ObjectVersion
    /// The generation this upload replaced as the live object, if any.
    public var overwroteGeneration: Int64?

    /// Creates the payload.
    public init(object: ObjectVersion, overwroteGeneration: Int64? = nil) {
        self.object = object
        self.overwroteGeneration = overwroteGeneration
    }
}

/// The payload of `object.metadata_updated`: the new values, not a patch.
public struct ObjectMetadataUpdated: Sendable, Hashable, Codable {
    /// The generation whose metadata changed.
    public var generation: Int64
    /// Its new metageneration.
    public var metageneration: Int64
    /// The new content type.
    public var contentType: String
    /// The new custom metadata, whole.
    public var metadata: ExactStringMap
    /// When the change happened.
    public var updated: Timestamp

    /// Creates the payload.
    public init(
        generation: Int64,
        metageneration: Int64,
        contentType: String,
        metadata: ExactStringMap,
        updated: Timestamp
    ) {
        self.generation = generation
        self.metageneration = metageneration
        self.contentType = contentType
        self.metadata = metadata
        self.updated = updated
    }
}

/// The payload of `object.archived` and `object.deleted`.
public struct ObjectRemoved: Sendable, Hashable, Codable {
    /// The generation archived or deleted.
    public var generation: Int64
    /// When it happened.
    public var time: Timestamp
    /// The generation whose upload caused this, when an overwrite did.
    public var overwrittenByGeneration: Int64?

    /// Creates the payload.
    public init(generation: Int64, time: Timestamp, overwrittenByGeneration: Int64? = nil) {
        self.generation = generation
        self.time = time
        self.overwrittenByGeneration = overwrittenByGeneration
    }
}
