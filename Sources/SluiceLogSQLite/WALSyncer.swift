import Foundation
import Logging
import SluiceCore

/// Makes a large batch's commit durable on a thread of its own, so the writer fills its next
/// transaction while the last one's fsync runs.
///
/// With `synchronous=full`, a batch of at least `offThreadSyncAppends` appends (a long queue: the
/// writer is the bottleneck) commits as `synchronous=NORMAL` does: WAL frames written, no fsync.
/// This thread then runs the fsync that `FULL` would have run in the COMMIT (`fdatasync` of the
/// WAL file; SQLite's `FULL` in WAL mode is `NORMAL` plus exactly that sync) and only then
/// acknowledges the commit's appends and wakes tails. One fsync covers every commit that
/// finished before it started. Smaller batches keep syncing in their COMMIT: when the queue is
/// short, the fsync's wait is what gathers the next batch, and syncing them here made the
/// CPU-bound `sluice bench pipeline` commit more often and spend 4-5% more CPU (36 pairs).
///
/// A process crash loses nothing either way: committed frames are in the kernel's page cache.
/// For a power loss, an acknowledged append was synced, and the WAL recovers as a prefix, so an
/// unsynced commit can only be lost together with every later one.
///
/// `@unchecked Sendable`: `pending`, `stopping` and `walDescriptor` are only touched under
/// `condition` or on the syncer thread, the rest is immutable or Sendable.
final class WALSyncer: @unchecked Sendable {
    /// One commit waiting for its sync: where it ends and whom to tell.
    struct Commit {
        let head: Int64
        let acknowledge: @Sendable (Result<Void, SluiceError>) -> Void
    }

    private let walPath: String
    private let durable: DurableHead
    private let signal: CommitSignal
    private let statistics: WriterStatistics
    private let logger: Logger
    /// The sync itself, replaceable so tests can hold it and look at the log meanwhile.
    private let syncFile: @Sendable (Int32) -> Int32
    private let condition = NSCondition()
    private var pending: [Commit] = []
    private var stopping = false
    private var walDescriptor: Int32 = -1
    private let finished = DispatchSemaphore(value: 0)

    init(
        databasePath: String,
        durable: DurableHead,
        signal: CommitSignal,
        statistics: WriterStatistics,
        logger: Logger,
        syncFile: @escaping @Sendable (Int32) -> Int32
    ) {
        self.walPath = databasePath + "-wal"
        self.durable = durable
        self.signal = signal
        self.statistics = statistics
        self.logger = logger
        self.syncFile = syncFile
    }

    func start() {
        NamedThread.start("sluice-syncer") { [self] in self.run() }
    }

    /// Queues a commit the writer just made; `acknowledge` runs on this thread after its sync.
    func submit(_ commit: Commit) {
        condition.signalAfter { pending.append(commit) }
    }

    /// Syncs and acknowledges what is queued, then stops the thread.
    func stop() {
        condition.signalAfter { stopping = true }
        finished.wait()
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty {
                condition.unlock()
                break
            }
            let commits = pending
            pending = []
            condition.unlock()
            let started = ContinuousClock.now
            let outcome = syncWAL()
            let head = commits.last?.head ?? 0
            durable.synced(commits: commits.count)
            statistics.recordSync(since: started)
            if case .success = outcome { signal.advance(to: head) }
            for commit in commits { commit.acknowledge(outcome) }
        }
        if walDescriptor >= 0 { close(walDescriptor) }
        finished.signal()
    }

    /// fsyncs the WAL file. It is opened at the first sync (SQLite creates it at the first
    /// write) and kept open: SQLite truncates and rewrites it but never replaces it while the
    /// writer's connection is open.
    private func syncWAL() -> Result<Void, SluiceError> {
        if walDescriptor < 0 {
            walDescriptor = open(walPath, O_RDWR | O_CLOEXEC)
            guard walDescriptor >= 0 else { return failure("cannot open the WAL file", errno: errno) }
        }
        guard syncFile(walDescriptor) == 0 else { return failure("the WAL file could not be synced", errno: errno) }
        return .success(())
    }

    private func failure(_ what: String, errno code: Int32) -> Result<Void, SluiceError> {
        let reason = String(cString: strerror(code))
        logger.error(
            "\(what); appends are not acknowledged", metadata: ["log.wal": "\(walPath)", "error": "\(reason)"])
        return .failure(
            SluiceError(
                .storageFailure,
                "\(what) (\(walPath): \(reason)); the append may or may not be stored, check the disk and retry"))
    }
}
