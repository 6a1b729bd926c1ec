internal import Foundation
import SluiceAdapters
import SluiceCore

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// One write in progress: a temporary file and the running checksums.
///
/// A reference so it can move between the task that feeds it and the Dispatch thread that
/// finishes it; only one of them touches it at a time.
final class BlobWriter: @unchecked Sendable {
    private let temporaryPath: String
    private let descriptor: Int32
    private var checksums = ContentChecksums()
    private var closed = false

    init(temporaryPath: String) throws(SluiceError) {
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw FileSystem.failure("creating a temporary file", errno) }
        self.temporaryPath = temporaryPath
        self.descriptor = descriptor
    }

    func append(_ bytes: [UInt8]) throws(SluiceError) {
        checksums.update(bytes)
        try FileSystem.writeAll(bytes, to: descriptor)
    }

    /// Fsyncs and closes the temporary file, renames it to its content path unless that
    /// content is already stored, and fsyncs the directory.
    func finish(path: (ContentDigest) -> String) throws(SluiceError) -> StoredBlob {
        closed = true
        let synced = fsync(descriptor) == 0 ? 0 : errno
        close(descriptor)
        guard synced == 0 else {
            unlink(temporaryPath)
            throw FileSystem.failure("syncing a temporary file", synced)
        }
        let blob = checksums.blob()
        let target = path(blob.digest)
        if FileSystem.exists(target) {
            unlink(temporaryPath)
            return blob
        }
        let folder = String(target[..<(target.lastIndex(of: "/") ?? target.endIndex)])
        try FileSystem.createDirectory(folder)
        guard rename(temporaryPath, target) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw FileSystem.failure("renaming into content \(blob.digest.hex)", code)
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
