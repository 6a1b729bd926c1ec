internal import Crypto
internal import Foundation
import SluiceAdapters
import SluiceCore

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// One write in progress: a temporary file and the running SHA-256, MD5 and CRC32C.
struct BlobWriter: ~Copyable {
    private let temporaryPath: String
    private let descriptor: Int32
    private var sha256 = SHA256()
    private var md5 = Insecure.MD5()
    private var crc = CRC32C()
    private var size: Int64 = 0
    private var closed = false

    init(temporaryPath: String) throws(SluiceError) {
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw FileSystem.failure("creating a temporary file", errno) }
        self.temporaryPath = temporaryPath
        self.descriptor = descriptor
    }

    mutating func append(_ bytes: [UInt8]) throws(SluiceError) {
        sha256.update(data: bytes)
        md5.update(data: bytes)
        crc.update(bytes)
        size += Int64(bytes.count)
        try FileSystem.writeAll(bytes, to: descriptor)
    }

    /// Fsyncs and closes the temporary file, renames it to its content path unless that
    /// content is already stored, and fsyncs the directory.
    consuming func finish(path: (ContentDigest) -> String) throws(SluiceError) -> StoredBlob {
        closed = true
        let synced = fsync(descriptor) == 0 ? 0 : errno
        close(descriptor)
        guard synced == 0 else {
            unlink(temporaryPath)
            throw FileSystem.failure("syncing a temporary file", synced)
        }
        let digest = ContentDigest(sha256: sha256.finalize())
        let blob = StoredBlob(
            digest: digest,
            size: size,
            md5Base64: Data(md5.finalize()).base64EncodedString(),
            crc32cBase64: Data(crc.bigEndianBytes).base64EncodedString()
        )
        let target = path(digest)
        if FileSystem.exists(target) {
            unlink(temporaryPath)
            return blob
        }
        let folder = String(target[..<(target.lastIndex(of: "/") ?? target.endIndex)])
        try FileSystem.createDirectory(folder)
        guard rename(temporaryPath, target) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw FileSystem.failure("renaming into content \(digest.hex)", code)
        }
        try FileSystem.syncDirectory(folder)
        return blob
    }

    deinit {
        if !closed {
            close(descriptor)
            unlink(temporaryPath)
        }
    }
}
