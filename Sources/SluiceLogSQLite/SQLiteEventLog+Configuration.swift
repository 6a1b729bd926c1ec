import Foundation
public import Logging
public import SluiceLog

extension SQLiteEventLog {
    /// How the SQLite log is opened. Every field has a default suited to production.
    public struct Configuration: Sendable {
        /// How hard each commit pushes data to disk.
        public enum Synchronous: String, Sendable, CaseIterable {
            /// fsync on every commit before it is acknowledged: a crash or power loss loses nothing
            /// acknowledged (the default). Under a long queue the fsync runs on a thread of its own
            /// while the writer fills the next transaction (see `WALSyncer`).
            case full
            /// fsync at checkpoints: a power loss may lose the last commits; a process crash loses nothing.
            case normal
        }

        /// The database file; its directory is created when missing.
        public var path: String
        /// The durability level of commits (`synchronous` pragma).
        public var synchronous: Synchronous = .full
        /// Point-read connections beside the writer; long scans share one more, opened at the first
        /// (see `LogReaderPool`).
        public var readerCount: Int = 2
        /// Read models updated in the append transaction.
        public var projections: [any Projection] = []
        /// Microseconds since the Unix epoch; injected so tests control time.
        public var now: @Sendable () -> Int64 = WallClock.microsecondsSinceEpoch
        /// WAL pages after which a background thread checkpoints the WAL into the database; at
        /// four times as many the writer finishes the checkpoint itself so the WAL restarts.
        /// 0 turns checkpoints off until the log closes.
        public var walAutocheckpointPages: Int = 8_192
        /// How long no commit may come before the background thread copies a WAL below that
        /// threshold into the database, once the writer found itself idle.
        public var idleCheckpointQuietPeriod: Duration = .milliseconds(50)
        /// Page cache of the writer connection, in KiB. Bigger is not better: after B-tree
        /// rebalancing SQLite scans the whole page cache at each commit (seen with perf and gdb:
        /// `pcache1TruncateUnsafe` under `sqlite3PagerCommitPhaseTwo`, 12% of the writer at 128 MiB),
        /// and 32 MiB appended about 25% faster than 128 MiB in `sluice bench log`.
        public var writerCacheKiB: Int = 32_768
        /// When and in what slices the writer moves events from the recent tier to the settled one.
        public var settling = Settling()
        /// Where the log reports what it does.
        public var logger = Logger(label: "sluice.log")
        /// The fsync of the WAL with `synchronous=full`; tests replace it to hold a commit unsynced.
        var walSync: @Sendable (Int32) -> Int32 = { fdatasync($0) }
        /// Appends in one batch from which, with `synchronous=full`, the writer leaves the fsync to
        /// the syncer thread and goes on (see `WALSyncer`). A smaller batch syncs in its COMMIT, as
        /// before: when the queue is short, the fsync's wait gathers the next batch, and one fuller
        /// transaction costs less CPU than two. The log benchmark's batches (64 writers, 4 appends
        /// in flight each) hold 135-180 appends; the pipeline's and the HTTP service's stay far
        /// below 128 except when saturated.
        public var offThreadSyncAppends = 128

        /// How the writer settles: appends go to a small position-ordered tier, and the writer moves
        /// them in bulk, sorted by stream, into the settled tier (see `0002_log_tiers.sql` and
        /// `0003_settled_rowid.sql`).
        public struct Settling: Sendable, Hashable {
            /// Unsettled events at which the writer settles between commits while appends keep
            /// coming; below it, it settles only when idle. Larger values absorb longer bursts,
            /// smaller ones keep the recent tier (and its index) small.
            public var threshold: Int = 16_384
            /// Events the recent table taking appends holds before appends turn to the other one
            /// (once that is empty): under load, the most one round moves. Larger rounds give each
            /// stream more events per page written.
            public var roundEvents: Int = 16_384
            /// Events one settle transaction copies: what an append may wait behind. The
            /// pipeline's events average about 1 KiB, and a step of 512 of them held appends for
            /// up to 11 ms; at 128, a fixed 1,500 uploads/s had its upload-to-prediction p99 drop
            /// from a median of 16.9 to 15.0 ms over 8 alternating pairs, at no cost in throughput.
            public var stepEvents: Int = 128
            /// How long the writer must see no append before it settles what is left.
            public var idleDelay: Duration = .milliseconds(1)

            /// The defaults.
            public init() {}
        }

        /// A configuration for the file at `path` with every other field at its default.
        public init(path: String) {
            self.path = path
        }
    }
}
