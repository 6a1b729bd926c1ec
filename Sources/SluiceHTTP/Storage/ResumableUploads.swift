import Foundation
import SluiceCore

/// Resumable upload sessions: each one's bytes so far in a file under `directory`, so a large
/// upload never sits in memory. Sessions live as long as the process; a client whose session is
/// gone after a restart gets 404 and starts a new one, as with an expired Cloud Storage session.
actor ResumableUploads {
    struct Session: Sendable {
        var bucket: String
        var object: String
        var contentType: String
        var customMetadata: [String: String]
        var received: Int64 = 0
        var path: String
    }

    private let directory: String
    private var sessions: [String: Session] = [:]

    init(directory: String) {
        self.directory = directory
    }

    func start(bucket: String, object: String, contentType: String, customMetadata: [String: String])
        throws(SluiceError) -> String
    {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw SluiceError(.storageFailure, "cannot create the upload directory \(directory)")
        }
        let id = UUID().uuidString.lowercased()
        let path = directory + "/upload-" + id
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw SluiceError(.storageFailure, "cannot create an upload session file in \(directory)")
        }
        sessions[id] = Session(
            bucket: bucket, object: object, contentType: contentType, customMetadata: customMetadata, path: path)
        return id
    }

    func session(_ id: String) throws(SluiceError) -> Session {
        guard let session = sessions[id] else {
            throw SluiceError(.notFound, "no resumable upload session \(id); start a new upload")
        }
        return session
    }

    /// Appends a chunk that starts where the session's bytes end; returns the new length.
    func append(_ id: String, at offset: Int64, _ bytes: [UInt8]) throws(SluiceError) -> Int64 {
        var session = try session(id)
        guard offset == session.received else { return session.received }
        guard let handle = FileHandle(forWritingAtPath: session.path) else {
            throw SluiceError(.storageFailure, "the upload session file \(session.path) is gone")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: bytes)
        } catch {
            throw SluiceError(.storageFailure, "cannot write the upload session file: \(error)")
        }
        session.received += Int64(bytes.count)
        sessions[id] = session
        return session.received
    }

    func finish(_ id: String) {
        if let session = sessions.removeValue(forKey: id) { try? FileManager.default.removeItem(atPath: session.path) }
    }

    /// The session's bytes as 1 MiB chunks, for the object store.
    nonisolated static func chunks(of path: String) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            guard let handle = FileHandle(forReadingAtPath: path) else {
                continuation.finish(throwing: SluiceError(.storageFailure, "the upload session file is gone"))
                return
            }
            defer { try? handle.close() }
            do {
                while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
                    continuation.yield(Array(data))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }
}
