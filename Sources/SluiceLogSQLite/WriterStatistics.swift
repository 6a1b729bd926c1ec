import Synchronization

/// Counters of the writer's group commits, read by benchmarks and metrics.
public final class WriterStatistics: Sendable {
    /// A copy of the counters at one moment.
    public struct Snapshot: Sendable, Hashable {
        /// Transactions committed.
        public var commits: Int = 0
        /// Appends committed.
        public var appends: Int = 0
        /// Events committed.
        public var events: Int = 0
        /// The largest number of appends one transaction carried.
        public var largestBatch: Int = 0
        /// Total time spent inside transactions, in nanoseconds.
        public var commitNanoseconds: Int64 = 0
        /// WAL syncs run off the writer thread (`synchronous=full`); each covers one or more commits.
        public var syncs: Int = 0
        /// Total time spent in those syncs, in nanoseconds.
        public var syncNanoseconds: Int64 = 0
        /// Settle transactions that copied or deleted rows; appends queued meanwhile wait for them.
        public var settleSteps: Int = 0
        /// Total time spent in those settle transactions, in nanoseconds.
        public var settleNanoseconds: Int64 = 0
        /// WAL checkpoints run by the background checkpointer.
        public var backgroundCheckpoints: Int = 0
        /// WAL checkpoints the writer ran itself past the hard limit; appends wait for each.
        public var writerCheckpoints: Int = 0
        /// Pages the writer's commits and settle steps wrote to the WAL: the log's write volume,
        /// which unlike timings does not vary with the machine.
        public var walPages: Int = 0

        /// Appends per commit on average: how well group commit is working.
        public var meanBatch: Double { commits == 0 ? 0 : Double(appends) / Double(commits) }
    }

    private let counters = Mutex(Snapshot())

    init() {}

    func recordCommit(appends: Int, events: Int, since started: ContinuousClock.Instant) {
        let nanoseconds = Self.nanoseconds(since: started)
        counters.withLock {
            $0.commits += 1
            $0.appends += appends
            $0.events += events
            $0.largestBatch = max($0.largestBatch, appends)
            $0.commitNanoseconds += nanoseconds
        }
    }

    func recordSync(since started: ContinuousClock.Instant) {
        let nanoseconds = Self.nanoseconds(since: started)
        counters.withLock {
            $0.syncs += 1
            $0.syncNanoseconds += nanoseconds
        }
    }

    func recordSettleStep(since started: ContinuousClock.Instant) {
        let nanoseconds = Self.nanoseconds(since: started)
        counters.withLock {
            $0.settleSteps += 1
            $0.settleNanoseconds += nanoseconds
        }
    }

    func recordCheckpoint(byWriter: Bool) {
        counters.withLock {
            if byWriter { $0.writerCheckpoints += 1 } else { $0.backgroundCheckpoints += 1 }
        }
    }

    /// Records the writer connection's running total of WAL pages written.
    func recordWALPages(total: Int) {
        counters.withLock { $0.walPages = max($0.walPages, total) }
    }

    private static func nanoseconds(since started: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - started
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    /// The counters now.
    public var snapshot: Snapshot { counters.withLock { $0 } }
}
