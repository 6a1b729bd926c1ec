import SluiceCore
import SluiceLog
import Synchronization

/// Keeps a bucket delete and the uploads into that bucket from overlapping in this process, so a
/// delete never commits after an upload it did not see.
///
/// The log checks one stream's version per part, so an upload (which reads the bucket and writes
/// its object) and a delete (which reads the objects and writes the bucket) can both commit: the
/// delete finds the bucket empty, an upload planned on the bucket commits, then the delete does,
/// and the object outlives its bucket. Here a delete first waits for the uploads already
/// committing and holds new ones back, so what it lists is what it deletes; the held uploads then
/// go on and find the bucket gone (their append expects the bucket's version) or still there
/// when the delete refused. One gate serves every ``StorageService`` on a log (``shared(by:)``).
final class BucketDeletionGate: Sendable {
    private struct Entry {
        var committing = 0
        var deleting = false
        /// Uploads and deletes waiting for the delete in progress to end.
        var held: [CheckedContinuation<Bool, Never>] = []
        /// The delete waiting for the uploads committing to end.
        var draining: CheckedContinuation<Bool, Never>?

        var isIdle: Bool { committing == 0 && !deleting && held.isEmpty }
    }

    private let entries = Mutex<[BucketName: Entry]>([:])

    private static let gates = Mutex<[ObjectIdentifier: BucketDeletionGate]>([:])

    /// The gate of every storage service on `log` (a log that is a value gets a gate of its own).
    static func shared(by log: any EventLog) -> BucketDeletionGate {
        guard type(of: log) is AnyClass else { return BucketDeletionGate() }
        let key = ObjectIdentifier(log as AnyObject)
        return gates.withLock { gates in
            if let gate = gates[key] { return gate }
            let gate = BucketDeletionGate()
            gates[key] = gate
            return gate
        }
    }

    /// Waits while a delete of `bucket` is in progress, then lets `enter` take the bucket's entry:
    /// it resumes the admission at once, or keeps it to resume later. An admission resumed with
    /// false (a delete ended) tries again.
    private func admit(
        _ bucket: BucketName, _ enter: (inout Entry, CheckedContinuation<Bool, Never>) -> Void
    ) async {
        while !(await withCheckedContinuation { (admission: CheckedContinuation<Bool, Never>) in
            entries.withLock { entries in
                var entry = entries[bucket, default: Entry()]
                if entry.deleting { entry.held.append(admission) } else { enter(&entry, admission) }
                entries[bucket] = entry
            }
        }) {}
    }

    /// Runs an upload's commit, after any delete of `bucket` in progress has ended.
    func committingUpload<Result>(
        to bucket: BucketName, _ commit: () async throws(SluiceError) -> Result
    ) async throws(SluiceError) -> Result {
        await enterUpload(bucket)
        defer { leaveUpload(bucket) }
        return try await commit()
    }

    /// Waits for any delete of `bucket` in progress to end, then counts one upload committing;
    /// each call is paired with one ``leaveUpload(_:)``.
    func enterUpload(_ bucket: BucketName) async {
        await admit(bucket) { entry, admission in
            entry.committing += 1
            admission.resume(returning: true)
        }
    }

    /// Ends an upload's commit, letting a delete waiting for it go on.
    func leaveUpload(_ bucket: BucketName) {
        entries.withLock { entries in
            guard var entry = entries[bucket] else { return }
            entry.committing -= 1
            if entry.committing == 0, let draining = entry.draining {
                entry.draining = nil
                draining.resume(returning: true)
            }
            entries[bucket] = entry.isIdle ? nil : entry
        }
    }

    /// Runs a delete of `bucket` with no upload to it committing meanwhile.
    func deleting<Result>(
        _ bucket: BucketName, _ delete: () async throws(SluiceError) -> Result
    ) async throws(SluiceError) -> Result {
        await admit(bucket) { entry, admission in
            entry.deleting = true
            if entry.committing == 0 { admission.resume(returning: true) } else { entry.draining = admission }
        }
        defer {
            let held = entries.withLock { entries in
                guard var entry = entries[bucket] else { return [CheckedContinuation<Bool, Never>]() }
                entry.deleting = false
                let held = entry.held
                entry.held = []
                entries[bucket] = entry.isIdle ? nil : entry
                return held
            }
            // Woken with false, each tries again: an upload is admitted, a delete takes its turn.
            for waiter in held { waiter.resume(returning: false) }
        }
        return try await delete()
    }
}
