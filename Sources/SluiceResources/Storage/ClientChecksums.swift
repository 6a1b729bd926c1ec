public import SluiceCore

/// Checksums a client sent with an upload (base64, as Cloud Storage writes them): from the
/// multipart metadata's `crc32c` and `md5Hash`, or an `x-goog-hash: crc32c=...,md5=...` header.
/// Each one given must match the stored bytes, or nothing is recorded, as in Cloud Storage.
public struct ClientChecksums: Sendable, Hashable {
    public var crc32c: String?
    public var md5: String?

    public init(crc32c: String? = nil, md5: String? = nil) {
        self.crc32c = crc32c
        self.md5 = md5
    }

    /// The checksums of an `x-goog-hash` header; nil or no known name gives none.
    public init(xGoogHash header: String?) {
        self.init()
        for item in (header ?? "").split(separator: ",") {
            let pair = item.drop { $0 == " " }
            if pair.hasPrefix("crc32c=") { crc32c = String(pair.dropFirst("crc32c=".count)) }
            if pair.hasPrefix("md5=") { md5 = String(pair.dropFirst("md5=".count)) }
        }
    }

    /// INVALID_ARGUMENT naming the first checksum that differs from the stored bytes' own.
    func check(crc32c storedCRC32C: String, md5 storedMD5: String) throws(SluiceError) {
        if let crc32c, crc32c != storedCRC32C {
            throw SluiceError(
                .invalidArgument, "the uploaded bytes have crc32c \(storedCRC32C), not the \(crc32c) the client sent")
        }
        if let md5, md5 != storedMD5 {
            throw SluiceError(
                .invalidArgument, "the uploaded bytes have MD5 \(storedMD5), not the \(md5) the client sent")
        }
    }
}
