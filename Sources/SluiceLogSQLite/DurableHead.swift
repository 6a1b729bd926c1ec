import Synchronization

/// How far readers may read while a commit waits for its WAL sync.
///
/// When ``WALSyncer`` syncs a commit on its own thread (see there), the commit is visible to
/// every new read snapshot from its COMMIT on, about one fsync before it is durable against power
/// loss. Position-ordered reads (the engine's tails, audit queries) stop at the commit signal's
/// head meanwhile: the signal only ever advances to a durable position. So the engine never acts
/// on an event a power loss could still take back, and a tail never skips one.
final class DurableHead: Sendable {
    /// Commits begun (COMMIT about to run) and not yet synced.
    private let unsynced = Mutex(0)
    private let signal: CommitSignal

    init(signal: CommitSignal) {
        self.signal = signal
    }

    /// Before the writer runs COMMIT: from now until its sync, reads stop at the durable head.
    func willCommit() {
        unsynced.withLock { $0 += 1 }
    }

    /// A COMMIT that failed: nothing of it became visible.
    func commitFailed() {
        unsynced.withLock { $0 -= 1 }
    }

    /// After the WAL sync that covers `commits` commits.
    func synced(commits: Int) {
        unsynced.withLock { $0 -= commits }
    }

    /// The last position a reader may return, or nil when everything visible is durable.
    ///
    /// Call it after the read transaction has its snapshot: a commit in that snapshot either was
    /// synced before this call, or is still counted as unsynced, which bounds the read.
    func readableThrough() -> Int64? {
        unsynced.withLock { $0 } > 0 ? signal.head : nil
    }
}
