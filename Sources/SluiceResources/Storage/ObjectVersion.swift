public import SluiceCore

/// One generation of an object: what Cloud Storage's object resource says about it.
public struct ObjectVersion: Sendable, Hashable, Codable {
    /// The bucket holding the object.
    public var bucket: BucketName
    /// The object's name.
    public var name: ObjectName
    /// The generation: a number that grows with each upload of the name.
    public var generation: Int64
    /// The metadata generation: 1 at upload, +1 with each metadata change of this generation.
    public var metageneration: Int64
    /// The MIME type of the content.
    public var contentType: String
    /// Custom metadata (`x-goog-meta-*`).
    public var metadata: ExactStringMap
    /// The content length in bytes.
    public var size: Int64
    /// Base64 of the 16-byte MD5 of the content, as Cloud Storage prints `md5Hash`.
    public var md5Hash: String
    /// Base64 of the big-endian CRC32C of the content, as Cloud Storage prints `crc32c`.
    public var crc32c: String
    /// The SHA-256 under which the bytes are stored.
    public var digest: ContentDigest
    /// The storage class, `STANDARD` unless told otherwise.
    public var storageClass: String
    /// When this generation was created.
    public var timeCreated: Timestamp
    /// When this generation's metadata last changed.
    public var updated: Timestamp
    /// When this generation became noncurrent or was deleted; `nil` while live.
    public var timeDeleted: Timestamp?
    /// The content itself when it is small enough to live in the finalize event instead of a
    /// file of the object store. Never part of the JSON API resource.
    public var inlineContent: InlineBytes?

    /// Creates an object version.
    public init(
        bucket: BucketName,
        name: ObjectName,
        generation: Int64,
        metageneration: Int64,
        contentType: String,
        metadata: ExactStringMap,
        size: Int64,
        md5Hash: String,
        crc32c: String,
        digest: ContentDigest,
        storageClass: String,
        timeCreated: Timestamp,
        updated: Timestamp,
        timeDeleted: Timestamp? = nil,
        inlineContent: InlineBytes? = nil
    ) {
        self.bucket = bucket
        self.name = name
        self.generation = generation
        self.metageneration = metageneration
        self.contentType = contentType
        self.metadata = metadata
        self.size = size
        self.md5Hash = md5Hash
        self.crc32c = crc32c
        self.digest = digest
        self.storageClass = storageClass
        self.timeCreated = timeCreated
        self.updated = updated
        self.timeDeleted = timeDeleted
        self.inlineContent = inlineContent
    }
}
