import Synchronization

/// How far the log is durable, for readers that must not act on a commit before its WAL sync.
///
/// When ``WALSyncer`` syncs a commit on its own thread (see there), the commit is visible to
/// every new read snapshot from its COMMIT on, about one fsync before it is durable against power
/// loss. Position-ordered reads (the
/// engine's tails, audit queries) stop at the durable head while any commit is unsynced, so the
/// engine never acts on an event a power loss could still take back, and a tail never skips one.
final class DurableHead: Sendable {
    private struct State {
        /// Commits begun (COMMIT about to run) and not yet synced.
        var unsynced = 0
        /// The last position of the newest synced commit.
        var syncedHead: Int64 = 0
    }

    private let state = Mutex(State())

    /// Before the writer runs COMMIT: from now until its sync, reads stop at the synced head.
    func willCommit() {
        state.withLock { $0.unsynced += 1 }
    }

    /// A COMMIT that failed: nothing of it became visible.
    func commitFailed() {
        state.withLock { $0.unsynced -= 1 }
    }

    /// After the WAL sync that covers `commits` commits, the last of which ends at `head`.
    func synced(commits: Int, through head: Int64) {
        state.withLock {
            $0.unsynced -= commits
            $0.syncedHead = max($0.syncedHead, head)
        }
    }

    /// After a commit that synced itself: it and, the WAL being recovered as a prefix, every
    /// commit before it are durable, whatever the syncer has still to report.
    func durable(through head: Int64) {
        state.withLock { $0.syncedHead = max($0.syncedHead, head) }
    }

    /// Records what was durable when the log opened.
    func opened(at head: Int64) {
        state.withLock { $0.syncedHead = max($0.syncedHead, head) }
    }

    /// The last position a reader may return, or nil when everything visible is durable.
    ///
    /// Call it after the read transaction has its snapshot: a commit in that snapshot either was
    /// synced before this call, or is still counted in `unsynced`, which bounds the read.
    func readableThrough() -> Int64? {
        state.withLock { $0.unsynced > 0 ? $0.syncedHead : nil }
    }
}
