import SluiceCore
import Synchronization

/// The last folded state of the buckets a ``StorageService`` finalized objects into, so an upload
/// need not re-read its bucket's stream.
///
/// Safe without any invalidation from outside: every finalize appends with a condition on the
/// bucket's version, so a bucket changed since it was cached (by this process or another) fails
/// that append, and the upload forgets the entry and decides again on a fresh read.
final class BucketStateCache: Sendable {
    /// Buckets remembered at most; past it the cache starts over.
    static let capacity = 1_024

    private let entries = Mutex<[BucketName: LoadedState<BucketState>]>([:])

    /// The cached state of an existing bucket, or what `load` reads (cached when the bucket exists).
    func state(
        of bucket: BucketName, load: () async throws(SluiceError) -> LoadedState<BucketState>
    ) async throws(SluiceError) -> LoadedState<BucketState> {
        if let cached = entries.withLock({ $0[bucket] }) { return cached }
        let loaded = try await load()
        guard loaded.state.exists else { return loaded }
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[bucket] = loaded
        }
        return loaded
    }

    /// Drops what is cached for `bucket`, so the next finalize reads it.
    func forget(_ bucket: BucketName) {
        _ = entries.withLock { $0.removeValue(forKey: bucket) }
    }
}
