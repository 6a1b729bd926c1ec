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

        /// Appends per commit on average: how well group commit is working.
        public var meanBatch: Double { commits == 0 ? 0 : Double(appends) / Double(commits) }
    }

    private let counters = Mutex(Snapshot())

    init() {}

    func recordCommit(appends: Int, events: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        counters.withLock {
            $0.commits += 1
            $0.appends += appends
            $0.events += events
            $0.largestBatch = max($0.largestBatch, appends)
            $0.commitNanoseconds += nanoseconds
        }
    }

    /// The counters now.
    public var snapshot: Snapshot { counters.withLock { $0 } }
}
