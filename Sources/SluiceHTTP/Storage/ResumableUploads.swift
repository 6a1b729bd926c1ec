import Foundation
import SluiceCore
import SluiceResources

/// Resumable upload sessions: each one's bytes so far in a file under `directory`, so a large
/// upload never sits in memory. Sessions live as long as the process; a client whose session is
/// gone after a restart gets 404 and starts a new one, as with an expired Cloud Storage session.
///
/// A session finalizes at most once: the first request that completes it claims the
/// finalization, concurrent ones wait for its outcome, and later ones get the finished object, as
/// Cloud Storage answers a retried final chunk whose response was lost. Two final requests never
/// make two generations (or two notifications) of one upload.
actor ResumableUploads {
    struct Session: Sendable {
        var bucket: String
        var object: String
        var contentType: String
        var customMetadata: ExactStringMap
        var received: Int64 = 0
        var path: String
        /// The requests waiting for a finalization in progress; nil while none is.
        var finalizing: [CheckedContinuation<Result<ObjectVersion, SluiceError>, Never>]?
    }

    /// What the request that would complete a session does.
    enum Completion: Sendable {
        /// Finalize it, then report with ``finalized(_:_:)``.
        case finalize(Session)
        /// Answer with the object another request finalized.
        case finished(ObjectVersion)
    }

    /// How many finished sessions keep their object for retried final requests.
    static let finishedCapacity = 10_000

    private let directory: String
    private var sessions: [String: Session] = [:]
    private var finished: [String: ObjectVersion] = [:]
    private var finishedOrder: [String] = []

    init(directory: String) {
        self.directory = directory
    }

    func start(bucket: String, object: String, contentType: String, customMetadata: ExactStringMap)
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

    /// The object a finished session made, if it is one.
    func finishedObject(_ id: String) -> ObjectVersion? {
        finished[id]
    }

    /// Claims the session's finalization, or waits for the one in progress and answers with its
    /// outcome (its object, or its error, after which the session may be finalized again).
    func complete(_ id: String) async throws(SluiceError) -> Completion {
        if let object = finished[id] { return .finished(object) }
        var session = try session(id)
        guard session.finalizing != nil else {
            session.finalizing = []
            sessions[id] = session
            return .finalize(session)
        }
        let outcome = await withCheckedContinuation { waiter in sessions[id]?.finalizing?.append(waiter) }
        return .finished(try outcome.get())
    }

    /// Ends the finalization ``complete(_:)`` claimed: a success finishes the session (its bytes
    /// are deleted, its object kept for retries); a failure leaves it open for another try.
    func finalized(_ id: String, _ outcome: Result<ObjectVersion, SluiceError>) {
        let waiters = sessions[id]?.finalizing ?? []
        switch outcome {
        case .success(let object):
            if let session = sessions.removeValue(forKey: id) {
                try? FileManager.default.removeItem(atPath: session.path)
            }
            finished[id] = object
            finishedOrder.append(id)
            if finishedOrder.count > Self.finishedCapacity { finished[finishedOrder.removeFirst()] = nil }
        case .failure:
            sessions[id]?.finalizing = nil
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
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
        // Bytes past the end would change what a finalization in progress reads.
        guard offset == session.received, session.finalizing == nil else { return session.received }
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
