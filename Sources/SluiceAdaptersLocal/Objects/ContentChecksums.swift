internal import Crypto
internal import Foundation
import SluiceAdapters
import SluiceCore

/// The running SHA-256 (the address), MD5 and CRC32C (what Cloud Storage reports) of content.
struct ContentChecksums {
    private var sha256 = SHA256()
    private var md5 = Insecure.MD5()
    private var crc = CRC32C()
    private(set) var size: Int64 = 0

    mutating func update(_ bytes: [UInt8]) {
        sha256.update(data: bytes)
        md5.update(data: bytes)
        crc.update(bytes)
        size += Int64(bytes.count)
    }

    /// The description of everything added so far.
    func blob(inline: InlineBytes? = nil) -> StoredBlob {
        StoredBlob(
            digest: ContentDigest(sha256: sha256.finalize()),
            size: size,
            md5Base64: Data(md5.finalize()).base64EncodedString(),
            crc32cBase64: Data(crc.bigEndianBytes).base64EncodedString(),
            inline: inline
        )
    }
}
