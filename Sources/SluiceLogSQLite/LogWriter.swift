import Foundation
import Logging
import SluiceCore
import SluiceLog

/// The one writer of the log: a dedicated thread that drains every queued append into one
/// transaction (group commit), so many concurrent appends share one fsync. With
/// `synchronous=full` and a long queue, the fsync runs on ``WALSyncer``'s thread, which
/// acknowledges the appends, while this thread goes on with the next transaction.
///
/// It is a thread rather than an actor because each commit blocks in SQLite's file I/O; blocking
/// one of the two cooperative-pool threads on this machine would stall every task. `@unchecked Sendable`
/// holds because the queue is only touched under `condition`, and `connection`, `state`, `rows`
/// and `projectionDatabase` only on the writer thread.
final class LogWriter: @unchecked Sendable {
    /// The most appends one transaction takes, which bounds commit latency under load.
    static let maximumBatchAppends = 4_096

    let connection: SQLiteConnection
    var state = WriterState()
    let projections: [any Projection]
    let synchronous: SQLiteEventLog.Configuration.Synchronous
    let settlement: SQLiteEventLog.Configuration.Settling
    let now: @Sendable () -> Int64
    let signal: CommitSignal
    let logger: Logger
    let statistics: WriterStatistics
    /// Copies the WAL into the database off this thread; nil when checkpoints are turned off.
    let checkpointer: WALCheckpointer?
    /// Syncs large batches' commits off this thread and acknowledges them (`synchronous=full`);
    /// nil for `normal`.
    let syncer: WALSyncer?
    /// What readers may return while a commit waits for its sync.
    let durable: DurableHead
    /// Appends in a batch from which its commit is synced off this thread.
    let offThreadSyncAppends: Int
    /// Names this process interned, for its readers: see ``InternedNames``.
    let names: InternedNames
    /// Names the open transaction interned, published when it commits.
    var pendingNames = InternedNames.Pending()
    /// Rows the writer owes the settled tier for what it appended past the threshold.
    private lazy var settleCredit = SettleCredit(step: settlement.stepEvents)
    lazy var rows = EventRows(connection: connection, names: names)
    lazy var tiers = TieredReads(connection: connection, rows: rows)
    lazy var projectionDatabase = ConnectionProjectionDatabase(connection: connection)
    let statements: AppendStatements

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var isStopping = false
    private var isStopped = false
    private let finished = DispatchSemaphore(value: 0)

    init(
        connection: SQLiteConnection,
        configuration: SQLiteEventLog.Configuration,
        signal: CommitSignal,
        durable: DurableHead,
        names: InternedNames,
        statistics: WriterStatistics
    ) throws(SluiceError) {
        self.connection = connection
        self.names = names
        self.projections = configuration.projections
        self.synchronous = configuration.synchronous
        self.settlement = configuration.settling
        self.now = configuration.now
        self.signal = signal
        self.durable = durable
        self.offThreadSyncAppends = configuration.offThreadSyncAppends
        self.statistics = statistics
        self.logger = configuration.logger
        statements = try AppendStatements(connection: connection)
        checkpointer =
            configuration.walAutocheckpointPages > 0
            ? WALCheckpointer(
                path: configuration.path, threshold: configuration.walAutocheckpointPages,
                quietPeriod: configuration.idleCheckpointQuietPeriod, statistics: statistics,
                logger: configuration.logger)
            : nil
        syncer =
            configuration.synchronous == .full
            ? WALSyncer(
                databasePath: configuration.path, durable: durable, signal: signal, statistics: statistics,
                logger: configuration.logger, syncFile: configuration.walSync)
            : nil
        try reloadState()
        try catchUpProjections()
        signal.advance(to: state.headPosition)
    }

    /// Starts the writer thread (and the checkpointer's).
    func start() throws(SluiceError) {
        try checkpointer?.start(writer: connection)
        syncer?.start()
        NamedThread.start("sluice-writer") { [self] in self.run() }
    }

    /// Queues an append; `completion` runs once it is durable or refused (on the syncer thread
    /// when its batch was synced there, on the writer thread otherwise).
    func enqueue(_ append: PendingAppend) {
        condition.lock()
        if isStopping || isStopped {
            condition.unlock()
            append.completion(.failure(SluiceError(.unavailable, "the event log is closed")))
            return
        }
        queue.append(.append(append))
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` on the writer thread between two batches, with no transaction open.
    func perform<T: Sendable>(_ body: @escaping @Sendable (LogWriter) throws(SluiceError) -> T)
        async throws(SluiceError) -> T
    {
        let result: Result<T, SluiceError> = await withCheckedContinuation { continuation in
            condition.lock()
            if isStopping || isStopped {
                condition.unlock()
                continuation.resume(returning: .failure(SluiceError(.unavailable, "the event log is closed")))
                return
            }
            let task: @Sendable (LogWriter) -> Void = { writer in
                continuation.resume(returning: Result { () throws(SluiceError) in try body(writer) })
            }
            queue.append(.task(task))
            condition.signal()
            condition.unlock()
        }
        return try result.get()
    }

    /// Work for the writer thread.
    private enum Job {
        case append(PendingAppend)
        case task(@Sendable (LogWriter) -> Void)
    }

    /// Commits what is queued, refuses anything later, and stops the thread.
    func stop() {
        condition.lock()
        let wasRunning = !isStopping
        isStopping = true
        condition.broadcast()
        condition.unlock()
        if wasRunning { finished.wait() }
    }

    private func run() {
        // Set when idle work made no progress (nothing left, or it failed), so the thread waits
        // for the next job instead of retrying every `idleDelay`; the next batch clears it.
        var idleStalled = false
        while true {
            condition.lock()
            while queue.isEmpty && !isStopping {
                guard hasIdleWork && !idleStalled else {
                    condition.wait()
                    continue
                }
                // Once no append came for `idleDelay`, work step by step until one arrives.
                if condition.wait(until: Date(timeIntervalSinceNow: settlement.idleDelay.timeInterval)) { continue }
                while queue.isEmpty && !isStopping {
                    condition.unlock()
                    let progressed = doIdleWork()
                    condition.lock()
                    if !progressed {
                        idleStalled = true
                        break
                    }
                }
            }
            if queue.isEmpty && isStopping {
                isStopped = true
                condition.unlock()
                break
            }
            if case .task(let task) = queue[0] {
                queue.removeFirst()
                condition.unlock()
                task(self)
                continue
            }
            var batch: [PendingAppend] = []
            for job in queue.prefix(Self.maximumBatchAppends) {
                guard case .append(let append) = job else { break }
                batch.append(append)
            }
            queue.removeFirst(batch.count)
            condition.unlock()
            idleStalled = false
            settleBetweenCommits(appended: process(batch))
            finishCheckpointIfNeeded()
        }
        syncer?.stop()
        do {
            try settleAll()
        } catch {
            logger.warning("settling before close failed", metadata: ["log.error": "\(error)"])
        }
        checkpointer?.stop(writer: connection)
        try? connection.execute("PRAGMA optimize")
        // A clean close leaves every event in the main file, so a copy of it alone is complete.
        try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finished.signal()
    }

    /// Whether an idle writer has something to do: events to settle, or WAL frames to copy.
    private var hasIdleWork: Bool { settleBacklog > 0 || checkpointer?.hasFrames == true }

    /// One unit of idle work: a settle step while events are unsettled, then one checkpoint so
    /// readers of the now quiet log read the main file instead of searching the WAL. Returns
    /// false when it did nothing.
    private func doIdleWork() -> Bool {
        if settleBacklog > 0 { return settle(minimumBacklog: 1, budget: 1) > 0 }
        return checkpointIdle()
    }

    /// Under load, settles about as many events as were appended (a copy and a delete each), so
    /// the recent tier stays near the threshold instead of growing; see ``SettleCredit``.
    private func settleBetweenCommits(appended events: Int) {
        let pastThreshold = state.round != nil || settleBacklog >= Int64(settlement.threshold)
        guard let budget = settleCredit.afterCommit(of: events, pastThreshold: pastThreshold) else { return }
        settleCredit.paid(settle(minimumBacklog: Int64(settlement.threshold), budget: budget))
    }

    /// Runs settle steps until they have moved `budget` rows or there is nothing to settle, and
    /// returns the rows moved. A failure is logged and left for a later attempt: the events it
    /// would have moved are durable and readable where they are.
    @discardableResult
    private func settle(minimumBacklog: Int64, budget: Int) -> Int {
        // Nothing to start or continue on this writer's last look: skips a transaction that
        // would only find so (another process's appends show at this writer's next commit).
        if state.round == nil && settleBacklog < max(1, minimumBacklog) { return 0 }
        var moved = 0
        while moved < budget {
            do {
                let step = try settleStep(minimumBacklog: minimumBacklog)
                guard step > 0 else { break }
                moved += step
            } catch {
                logger.warning("settling failed; it is retried later", metadata: ["log.error": "\(error)"])
                break
            }
        }
        return moved
    }

    /// Commits a batch; when the batch as a whole fails, retries each append alone so one bad
    /// append cannot fail its neighbours.
    private func process(_ batch: [PendingAppend]) -> Int {
        let started = ContinuousClock.now
        let events = batch.reduce(0) { $0 + $1.eventCount }
        do {
            let offThread = syncer != nil && batch.count >= offThreadSyncAppends
            let results = try commit(batch, syncOffThread: offThread)
            statistics.recordCommit(appends: batch.count, events: events, since: started)
            acknowledge(batch, results, syncedOffThread: offThread)
            statistics.recordWALPages(total: connection.walPagesWritten)
        } catch {
            logger.warning("log batch failed, retrying appends one by one", metadata: ["log.error": "\(error)"])
            state.invalidate()
            for append in batch {
                do {
                    acknowledge([append], try commit([append], syncOffThread: false), syncedOffThread: false)
                } catch {
                    state.invalidate()
                    append.completion(.failure(error))
                }
            }
        }
        return events
    }

    /// Tells a committed batch's appends how they went: at once when the commit is durable (or
    /// `synchronous=normal`), after the WAL sync that covers it when ``WALSyncer`` syncs it.
    private func acknowledge(
        _ appends: [PendingAppend], _ results: [Result<[AppendResult], SluiceError>], syncedOffThread: Bool
    ) {
        guard syncedOffThread, let syncer else {
            signal.advance(to: state.headPosition)
            for (append, result) in zip(appends, results) { append.completion(result) }
            return
        }
        syncer.submit(
            WALSyncer.Commit(head: state.headPosition) { synced in
                for (append, result) in zip(appends, results) {
                    switch (synced, result) {
                    case (.failure(let error), .success): append.completion(.failure(error))
                    default: append.completion(result)
                    }
                }
            })
    }
}

extension Duration {
    /// The duration in seconds, for Foundation's deadline APIs.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
