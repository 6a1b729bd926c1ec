import Foundation
import SluiceCore
import SluiceResources

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files of resumable upload sessions, so a session outlives a restart of the server as a
/// Cloud Storage session outlives a dropped connection: for session `ID`, `upload-ID` holds the
/// bytes received so far, `upload-ID.json` what the session uploads (its ``Record``) and, once it
/// has finished, `upload-ID.done` the object it made. Each is fsynced before the request that
/// wrote it is answered, and sessions of any kind are forgotten a week after their last change,
/// as Cloud Storage expires them.
struct ResumableSessionFiles: Sendable {
    /// What a session uploads, fixed when it starts.
    struct Record: Sendable, Codable {
        var bucket: String
        var object: String
        var contentType: String
        var customMetadata: ExactStringMap
    }

    /// How long an unused session's files are kept.
    static let lifetime: TimeInterval = 7 * 24 * 3600

    let directory: String

    /// Whether `id` can name a session: the lowercase UUIDs ``ResumableUploads`` hands out, so a
    /// client's `upload_id` can never address a file outside `directory`.
    static func isSessionID(_ id: String) -> Bool {
        id.utf8.count == 36 && UUID(uuidString: id) != nil && id == id.lowercased()
    }

    func bytesPath(_ id: String) -> String { directory + "/upload-" + id }
    private func recordPath(_ id: String) -> String { bytesPath(id) + ".json" }
    private func donePath(_ id: String) -> String { bytesPath(id) + ".done" }

    /// Creates the session's empty bytes file and its record.
    func create(_ id: String, _ record: Record) throws(SluiceError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw SluiceError(.storageFailure, "cannot create the upload directory \(directory)")
        }
        guard FileManager.default.createFile(atPath: bytesPath(id), contents: nil) else {
            throw SluiceError(.storageFailure, "cannot create an upload session file in \(directory)")
        }
        try writeDurably(Self.encode(record), to: recordPath(id))
    }

    /// The record of an open session and how many bytes it holds; nil when there is none.
    func load(_ id: String) -> (record: Record, received: Int64)? {
        guard Self.isSessionID(id), let data = FileManager.default.contents(atPath: recordPath(id)),
            let record = try? JSONDecoder().decode(Record.self, from: data)
        else { return nil }
        var info = stat()
        guard stat(bytesPath(id), &info) == 0 else { return nil }
        return (record, Int64(info.st_size))
    }

    /// The object a finished session made; nil when the session did not finish (or expired).
    func finished(_ id: String) -> ObjectVersion? {
        guard Self.isSessionID(id), let data = FileManager.default.contents(atPath: donePath(id)) else { return nil }
        return try? JSONDecoder().decode(ObjectVersion.self, from: data)
    }

    /// Writes `bytes` at `offset`, the end of what the session holds, dropping anything a failed
    /// write left past it, and fsyncs the file, so the range a 308 reports survives a crash of the
    /// process or the machine.
    func write(_ id: String, at offset: Int64, _ bytes: [UInt8]) throws(SluiceError) {
        let descriptor = open(bytesPath(id), O_WRONLY)
        guard descriptor >= 0 else {
            throw SluiceError(.storageFailure, "the upload session file \(bytesPath(id)) is gone")
        }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(offset)) == 0, lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
            throw SluiceError(.storageFailure, "cannot extend the upload session file: \(Self.describe(errno))")
        }
        try Self.writeAll(bytes, to: descriptor)
        guard fsync(descriptor) == 0 else {
            throw SluiceError(.storageFailure, "cannot sync the upload session file: \(Self.describe(errno))")
        }
    }

    /// Records the session's object, then deletes its bytes and record: from then on the session
    /// answers with the object.
    func finish(_ id: String, with object: ObjectVersion) throws(SluiceError) {
        var object = object
        object.inlineContent = nil
        try writeDurably(Self.encode(object), to: donePath(id))
        unlink(bytesPath(id))
        unlink(recordPath(id))
    }

    /// Deletes the files of sessions unchanged for longer than ``lifetime``.
    func removeExpired(now: Date = Date()) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let cutoff = now.timeIntervalSince1970 - Self.lifetime
        for name in names where name.hasPrefix("upload-") {
            let path = directory + "/" + name
            var info = stat()
            if stat(path, &info) == 0, Double(info.st_mtim.tv_sec) < cutoff { unlink(path) }
        }
    }

    /// Writes a temporary file, fsyncs it, renames it over `path` and fsyncs the directory.
    private func writeDurably(_ bytes: [UInt8], to path: String) throws(SluiceError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw SluiceError(.storageFailure, "cannot create \(temporary): \(Self.describe(errno))")
        }
        do throws(SluiceError) {
            try Self.writeAll(bytes, to: descriptor)
            guard fsync(descriptor) == 0 else {
                throw SluiceError(.storageFailure, "cannot sync \(temporary): \(Self.describe(errno))")
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SluiceError(.storageFailure, "cannot rename \(temporary): \(Self.describe(code))")
        }
        let folder = open(directory, O_RDONLY | O_DIRECTORY)
        guard folder >= 0 else { return }
        defer { close(folder) }
        guard fsync(folder) == 0 else {
            throw SluiceError(.storageFailure, "cannot sync the upload directory: \(Self.describe(errno))")
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(SluiceError) {
        let failure = FileDescriptorWriting.writeAll(bytes, to: descriptor)
        guard failure == 0 else {
            throw SluiceError(.storageFailure, "cannot write an upload session file: \(describe(failure))")
        }
    }

    private static func encode(_ value: some Encodable) throws(SluiceError) -> [UInt8] {
        do { return Array(try JSONEncoder().encode(value)) } catch {
            throw SluiceError(.internalFailure, "cannot encode an upload session record: \(error)")
        }
    }

    private static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
