public import SluiceCore

/// Where object bytes live. Bytes are stored (and durable) before the event that makes an
/// object visible is appended, so an event never points at nothing; bytes no event points at
/// are swept.
public protocol ObjectStore: Sendable {
    /// Stores `bytes` durably and returns how to find and check them.
    func store(_ bytes: [UInt8]) async throws(SluiceError) -> StoredContent
    /// The stored bytes of `digest`, or the part `range` selects.
    func read(_ digest: String, range: Range<Int>?) async throws(SluiceError) -> [UInt8]
    /// Removes stored contents whose digest is not in `referenced`; returns how many it removed.
    func sweep(keeping referenced: Set<String>) async throws(SluiceError) -> Int
}

/// What storing produced: the content address and the checksums GCS reports.
public struct StoredContent: Sendable, Hashable, Codable {
    /// Lowercase hex SHA-256 of the bytes: the content address.
    public var digest: String
    public var size: Int
    /// Base64 of the MD5, as GCS prints `md5Hash`.
    public var md5Base64: String
    /// Base64 of the big-endian CRC32C, as GCS prints `crc32c`.
    public var crc32cBase64: String

    public init(digest: String, size: Int, md5Base64: String, crc32cBase64: String) {
        self.digest = digest
        self.size = size
        self.md5Base64 = md5Base64
        self.crc32cBase64 = crc32cBase64
    }
}
