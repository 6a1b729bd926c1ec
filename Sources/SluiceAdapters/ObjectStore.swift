public import SluiceCore

/// Stores object bytes by content; the engine's only way to keep or read an object's bytes.
///
/// Contract for every implementation:
/// - `write` MUST return only once the bytes are durable under their digest, so an event that
///   names the digest, appended after `write` returns, never points at nothing; or, for content
///   no longer than the store's inline limit, return the bytes in `StoredBlob.inline` without
///   storing them. The caller MUST then carry them in the event that records the object, which
///   makes them durable in the same commit (no file, no fsync of its own). Chunked writes are
///   never inlined.
/// - Writing bytes that are already stored MUST succeed and MUST NOT change them.
/// - Object names MUST NOT reach the storage backend's namespace: only digests address bytes.
/// - `read` MUST return exactly the stored bytes of the requested range, or throw `notFound`.
/// - `sweep` MUST NOT remove a digest in `keeping`, nor bytes written less than `minimumAge` ago
///   (their event may not be appended yet).
public protocol ObjectStore: Sendable {
    /// Stores bytes and returns their digest, size and checksums.
    func write(_ bytes: [UInt8]) async throws(SluiceError) -> StoredBlob

    /// Stores bytes that arrive in chunks (a large upload) without holding them all in memory.
    /// A failing sequence leaves nothing stored.
    func write<Chunks: AsyncSequence<[UInt8], any Error>>(chunks: sending Chunks) async throws(SluiceError)
        -> StoredBlob

    /// Reads a byte range of stored content; `nil` reads all of it.
    func read(_ digest: ContentDigest, range: Range<Int64>?) async throws(SluiceError) -> [UInt8]

    /// Whether content is stored.
    func contains(_ digest: ContentDigest) async throws(SluiceError) -> Bool

    /// Removes stored content that no event references.
    func sweep(keeping: Set<ContentDigest>, minimumAge: Duration) async throws(SluiceError) -> SweepReport
}

/// What a write stored.
public struct StoredBlob: Sendable, Hashable, Codable {
    /// The SHA-256 that addresses the bytes.
    public var digest: ContentDigest
    /// The number of bytes.
    public var size: Int64
    /// Base64 of the MD5, as Cloud Storage prints `md5Hash`.
    public var md5Base64: String
    /// Base64 of the big-endian CRC32C, as Cloud Storage prints `crc32c`.
    public var crc32cBase64: String
    /// The bytes themselves when the store left them to the recording event (small content).
    public var inline: InlineBytes?

    /// Creates a description of stored bytes.
    public init(
        digest: ContentDigest, size: Int64, md5Base64: String, crc32cBase64: String, inline: InlineBytes? = nil
    ) {
        self.digest = digest
        self.size = size
        self.md5Base64 = md5Base64
        self.crc32cBase64 = crc32cBase64
        self.inline = inline
    }
}

/// What a sweep found and removed.
public struct SweepReport: Sendable, Hashable {
    /// Stored contents that were kept.
    public var kept: Int
    /// Orphaned contents removed.
    public var removed: [ContentDigest]
    /// Abandoned temporary files removed.
    public var removedTemporaryFiles: Int

    /// Creates a report.
    public init(kept: Int, removed: [ContentDigest], removedTemporaryFiles: Int) {
        self.kept = kept
        self.removed = removed
        self.removedTemporaryFiles = removedTemporaryFiles
    }
}
