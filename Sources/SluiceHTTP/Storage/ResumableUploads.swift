import Foundation
import SluiceCore
import SluiceResources

/// Resumable upload sessions: each one's bytes so far in a file under `directory`, so a large
/// upload never sits in memory, and its record beside it (``ResumableSessionFiles``), so a
/// session outlives a restart of the server: a client resumes where the last 308 said, as it
/// would after a dropped connection to Cloud Storage. A session unused for a week is gone (404).
///
/// A session finalizes at most once: the first request that completes it claims the
/// finalization, concurrent ones wait for its outcome, and later ones get the finished object, as
/// Cloud Storage answers a retried final chunk whose response was lost. The object is appended
/// under an idempotency key made from the session, so even a finalization the process crashed
/// in the middle of, retried after the restart, makes no second generation (or notification).
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

    /// How many finished sessions keep their object in memory; the rest are read from disk.
    static let finishedCapacity = 10_000

    /// How often starting a session also deletes expired sessions' files.
    static let sweepInterval: TimeInterval = 3600

    private let files: ResumableSessionFiles
    private var sessions: [String: Session] = [:]
    private var finished: [String: ObjectVersion] = [:]
    private var finishedOrder: [String] = []
    private var lastSweep = Date.distantPast

    init(directory: String) {
        files = ResumableSessionFiles(directory: directory)
    }

    /// The idempotency key a session's object is appended under.
    static func idempotencyKey(_ id: String) -> String { "resumable-upload/" + id }

    func start(bucket: String, object: String, contentType: String, customMetadata: ExactStringMap)
        throws(SluiceError) -> String
    {
        if Date().timeIntervalSince(lastSweep) > Self.sweepInterval {
            lastSweep = Date()
            files.removeExpired()
        }
        let id = UUID().uuidString.lowercased()
        let record = ResumableSessionFiles.Record(
            bucket: bucket, object: object, contentType: contentType, customMetadata: customMetadata)
        try files.create(id, record)
        sessions[id] = Session(
            bucket: bucket, object: object, contentType: contentType, customMetadata: customMetadata,
            path: files.bytesPath(id))
        return id
    }

    /// The object a finished session made, if it is one.
    func finishedObject(_ id: String) -> ObjectVersion? {
        if let object = finished[id] { return object }
        guard sessions[id] == nil, let object = files.finished(id) else { return nil }
        remember(object, finishing: id)
        return object
    }

    /// Claims the session's finalization, or waits for the one in progress and answers with its
    /// outcome (its object, or its error, after which the session may be finalized again).
    func complete(_ id: String) async throws(SluiceError) -> Completion {
        if let object = finishedObject(id) { return .finished(object) }
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
            // Should the record not be written, a retry finalizes again under the same
            // idempotency key and gets this object back from the log.
            try? files.finish(id, with: object)
            sessions[id] = nil
            remember(object, finishing: id)
        case .failure:
            sessions[id]?.finalizing = nil
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }

    /// The open session `id`, read from its files when this process has not seen it yet.
    func session(_ id: String) throws(SluiceError) -> Session {
        if let session = sessions[id] { return session }
        guard let (record, received) = files.load(id) else {
            throw SluiceError(.notFound, "no resumable upload session \(id); start a new upload")
        }
        let session = Session(
            bucket: record.bucket, object: record.object, contentType: record.contentType,
            customMetadata: record.customMetadata, received: received, path: files.bytesPath(id))
        sessions[id] = session
        return session
    }

    private func remember(_ object: ObjectVersion, finishing id: String) {
        finished[id] = object
        finishedOrder.append(id)
        if finishedOrder.count > Self.finishedCapacity { finished[finishedOrder.removeFirst()] = nil }
    }

    /// Appends a chunk that starts where the session's bytes end; returns the new length.
    func append(_ id: String, at offset: Int64, _ bytes: [UInt8]) throws(SluiceError) -> Int64 {
        var session = try session(id)
        // Bytes past the end would change what a finalization in progress reads.
        guard offset == session.received, session.finalizing == nil else { return session.received }
        try files.write(id, at: offset, bytes)
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
