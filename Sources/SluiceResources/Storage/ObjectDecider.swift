public import SluiceCore

/// Decides which events a request on one object name produces, from the name's state alone.
///
/// Pure: the caller supplies the time and the new generation number (Cloud Storage uses the
/// upload time in microseconds; any strictly growing number works) and appends the returned
/// events to `object/BUCKET/NAME` with the stream version it read the state at.
public struct ObjectDecider: Sendable {
    /// The bucket the object is in.
    public var bucket: BucketName
    /// The object's name.
    public var name: ObjectName
    /// Whether the bucket keeps noncurrent versions.
    public var versioningEnabled: Bool

    /// Creates a decider for one object name.
    public init(bucket: BucketName, name: ObjectName, versioningEnabled: Bool) {
        self.bucket = bucket
        self.name = name
        self.versioningEnabled = versioningEnabled
    }

    /// The most custom metadata one object may carry, in bytes of keys and values.
    public static let maximumCustomMetadataBytes = 8 * 1024

    private var objectID: String { "\(bucket.rawValue)/\(name.rawValue)" }

    /// A new generation from stored bytes. Overwriting a live object also archives it (versioned
    /// bucket) or deletes it (otherwise), in the same append.
    public func finalize(
        _ upload: ObjectUpload,
        state: ObjectState,
        generation: Int64,
        now: Timestamp,
        preconditions: ObjectPreconditions = .none
    ) throws(SluiceError) -> [ObjectEvent] {
        try preconditions.check(state.live, object: objectID)
        guard generation > state.highestGeneration else {
            throw SluiceError(
                .invalidArgument,
                "generation \(generation) of \(objectID) is not above \(state.highestGeneration)"
            )
        }
        try Self.validate(metadata: upload.metadata)
        let object = ObjectVersion(
            bucket: bucket,
            name: name,
            generation: generation,
            metageneration: 1,
            contentType: upload.contentType,
            metadata: upload.metadata,
            size: upload.size,
            md5Hash: upload.md5Hash,
            crc32c: upload.crc32c,
            digest: upload.digest,
            storageClass: upload.storageClass,
            timeCreated: now,
            updated: now,
            inlineContent: upload.inlineContent
        )
        var events: [ObjectEvent] = [
            .finalized(ObjectFinalized(object: object, overwroteGeneration: state.live?.generation))
        ]
        if let previous = state.live {
            let removed = ObjectRemoved(generation: previous.generation, time: now, overwrittenByGeneration: generation)
            events.append(versioningEnabled ? .archived(removed) : .deleted(removed))
        }
        return events
    }

    /// A metadata change of the live generation, or of `generation` when given.
    public func updateMetadata(
        _ patch: ObjectMetadataPatch,
        state: ObjectState,
        generation: Int64? = nil,
        now: Timestamp,
        preconditions: ObjectPreconditions = .none
    ) throws(SluiceError) -> [ObjectEvent] {
        let target = try self.target(state, generation)
        try preconditions.check(target, object: objectID)
        var metadata = target.metadata
        for (key, value) in patch.metadata {
            metadata[key.value] = value
        }
        try Self.validate(metadata: metadata)
        return [
            .metadataUpdated(
                ObjectMetadataUpdated(
                    generation: target.generation,
                    metageneration: target.metageneration + 1,
                    contentType: patch.contentType ?? target.contentType,
                    metadata: metadata,
                    updated: now
                )
            )
        ]
    }

    /// Deletes the live generation (archives it in a versioned bucket), or permanently deletes
    /// `generation` when given.
    public func delete(
        state: ObjectState,
        generation: Int64? = nil,
        now: Timestamp,
        preconditions: ObjectPreconditions = .none
    ) throws(SluiceError) -> [ObjectEvent] {
        let target = try self.target(state, generation)
        try preconditions.check(target, object: objectID)
        let removed = ObjectRemoved(generation: target.generation, time: now)
        if generation == nil, versioningEnabled {
            return [.archived(removed)]
        }
        return [.deleted(removed)]
    }

    private func target(_ state: ObjectState, _ generation: Int64?) throws(SluiceError) -> ObjectVersion {
        if let generation {
            guard let version = state.version(generation) else {
                throw SluiceError(.notFound, "object \(objectID) has no generation \(generation)")
            }
            return version
        }
        guard let live = state.live else {
            throw SluiceError(.notFound, "object \(objectID) does not exist")
        }
        return live
    }

    private static func validate(metadata: ExactStringMap) throws(SluiceError) {
        let bytes = metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard bytes <= maximumCustomMetadataBytes else {
            throw SluiceError(.invalidArgument, "custom metadata is \(bytes) bytes; the limit is 8 KiB")
        }
        guard metadata.keys.allSatisfy({ !$0.isEmpty }) else {
            throw SluiceError(.invalidArgument, "a custom metadata key must not be empty")
        }
    }
}

/// What an upload stored: the bytes' digest and checksums, and the metadata sent with them.
public struct ObjectUpload: Sendable, Hashable, Codable {
    /// The MIME type; `application/octet-stream` unless given.
    public var contentType: String
    /// Custom metadata.
    public var metadata: ExactStringMap
    /// The content length in bytes.
    public var size: Int64
    /// Base64 of the MD5.
    public var md5Hash: String
    /// Base64 of the big-endian CRC32C.
    public var crc32c: String
    /// Where the bytes are stored.
    public var digest: ContentDigest
    /// The storage class.
    public var storageClass: String
    /// The content, when the object store left it to the event (small objects).
    public var inlineContent: InlineBytes?

    /// Creates an upload description.
    public init(
        contentType: String = "application/octet-stream",
        metadata: ExactStringMap = [:],
        size: Int64,
        md5Hash: String,
        crc32c: String,
        digest: ContentDigest,
        storageClass: String = "STANDARD",
        inlineContent: InlineBytes? = nil
    ) {
        self.contentType = contentType
        self.metadata = metadata
        self.size = size
        self.md5Hash = md5Hash
        self.crc32c = crc32c
        self.digest = digest
        self.storageClass = storageClass
        self.inlineContent = inlineContent
    }
}

/// A metadata change: `nil` values in `metadata` remove keys, as in the JSON API's PATCH.
public struct ObjectMetadataPatch: Sendable, Hashable {
    /// The new content type, when it changes.
    public var contentType: String?
    /// Keys to set (a value) or remove (`nil`).
    public var metadata: [ExactString: String?]

    /// Creates a patch.
    public init(contentType: String? = nil, metadata: [ExactString: String?] = [:]) {
        self.contentType = contentType
        self.metadata = metadata
    }
}
