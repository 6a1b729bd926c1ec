import Crypto
import Dispatch
import Foundation
public import SluiceAdapters
public import SluiceCore

/// Object bytes in the data directory, content-addressed by SHA-256:
/// `ROOT/ab/cd/abcd…`, written to a temporary file, fsynced, renamed into place, and the
/// directory fsynced, so a crash leaves either the whole content or an orphan temp file.
///
/// Object names never reach the filesystem, only digests do, so no name can address a path
/// outside the directory. File work runs on a queue of its own, never on the cooperative pool.
public final class LocalObjectStore: ObjectStore {
    public let root: String
    private let queue = DispatchQueue(label: "sluice-object-store", attributes: .concurrent)

    public init(root: String) throws(SluiceError) {
        self.root = root
        do {
            try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
        } catch {
            throw SluiceError(
                .storageFailure, "cannot create the object directory \(root): \(error.localizedDescription)")
        }
    }

    public func store(_ bytes: [UInt8]) async throws(SluiceError) -> StoredContent {
        try await onQueue { () throws(SluiceError) in try self.storeBlocking(bytes) }
    }

    public func read(_ digest: String, range: Range<Int>?) async throws(SluiceError) -> [UInt8] {
        try await onQueue { () throws(SluiceError) in
            let path = try self.path(of: digest)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SluiceError(.notFound, "no stored content \(digest)")
            }
            guard let range else { return [UInt8](data) }
            guard range.lowerBound >= 0, range.upperBound <= data.count else {
                throw SluiceError(.invalidArgument, "range \(range) is outside the \(data.count) stored bytes")
            }
            return [UInt8](data[range])
        }
    }

    public func sweep(keeping referenced: Set<String>) async throws(SluiceError) -> Int {
        try await onQueue { () throws(SluiceError) in
            var removed = 0
            let files = FileManager.default.enumerator(atPath: self.root)
            while let relative = files?.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                let full = self.root + "/" + relative
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue
                else { continue }
                if relative.hasPrefix("tmp/") {
                    // A temp file may belong to a store in progress; only old ones are orphans.
                    let modified = (try? FileManager.default.attributesOfItem(atPath: full)[.modificationDate]) as? Date
                    guard let modified, modified < Date(timeIntervalSinceNow: -3_600) else { continue }
                    try? FileManager.default.removeItem(atPath: full)
                    removed += 1
                } else if !referenced.contains(name) {
                    try? FileManager.default.removeItem(atPath: full)
                    removed += 1
                }
            }
            return removed
        }
    }

    private func storeBlocking(_ bytes: [UInt8]) throws(SluiceError) -> StoredContent {
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let content = StoredContent(
            digest: digest,
            size: bytes.count,
            md5Base64: Data(Insecure.MD5.hash(data: bytes)).base64EncodedString(),
            crc32cBase64: withUnsafeBytes(of: CRC32C.checksum(bytes).bigEndian) { Data($0).base64EncodedString() }
        )
        let target = try path(of: digest)
        if FileManager.default.fileExists(atPath: target) { return content }
        let directory = (target as NSString).deletingLastPathComponent
        let temporary = root + "/tmp/" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Self.writeSynced(bytes, to: temporary)
            guard rename(temporary, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            try Self.syncDirectory(directory)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw SluiceError(.storageFailure, "cannot store content \(digest): \(error.localizedDescription)")
        }
        return content
    }

    /// `ROOT/ab/cd/DIGEST` for a well-formed digest; anything else is refused before touching disk.
    private func path(of digest: String) throws(SluiceError) -> String {
        let isHex = digest.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        guard digest.utf8.count == 64, isHex else {
            throw SluiceError(.invalidArgument, "'\(digest)' is not a content digest")
        }
        let characters = Array(digest)
        return root + "/" + String(characters[0..<2]) + "/" + String(characters[2..<4]) + "/" + digest
    }

    private static func writeSynced(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            guard written > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    private static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws(SluiceError) -> T) async throws(SluiceError)
        -> T
    {
        let result: Result<T, SluiceError> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(SluiceError) -> T in try body() }) }
        }
        return try result.get()
    }
}
