import CSQLite
import Foundation
import Logging
import SluiceCore
import Synchronization

/// Copies the WAL into the database file on its own thread and connection, so the writer does
/// not stall for a checkpoint after the commit that crosses the threshold.
///
/// A checkpoint that runs beside a busy writer never catches up with it, and SQLite restarts
/// the WAL only once every frame is copied; so past ``hardLimit`` frames the writer finishes the
/// checkpoint itself, copying just the frames written since the last background pass. That
/// keeps the WAL (and the WAL index every page read searches) bounded.
///
/// Its connection is opened at the first checkpoint: a log that never fills the WAL that far holds
/// no connection (and no file descriptors) for it.
///
/// `@unchecked Sendable`: `connection` is only touched on the checkpointer thread; the rest is
/// a `Mutex`, an `NSCondition` guarding `pending`/`stopping`, and immutable values.
final class WALCheckpointer: @unchecked Sendable {
    /// WAL frames after which a background checkpoint starts.
    let threshold: Int
    /// WAL frames after which the writer checkpoints itself.
    var hardLimit: Int { threshold * 4 }

    private let path: String
    private var connection: SQLiteConnection?
    private let logger: Logger
    private let condition = NSCondition()
    private var pending = false
    /// Set by an idle writer: copy the WAL once the log has been quiet for ``quietPeriod``.
    private var idleRequested = false
    private var stopping = false
    /// Commits seen so far, so a wait for quiet can tell whether one came meanwhile.
    private let commits = Atomic<Int>(0)
    /// WAL frames when a background pass was last asked for.
    private let framesAtLastRequest = Atomic<Int>(0)
    /// How long no commit may come before an idle request is carried out.
    let quietPeriod: Duration
    private let finished = DispatchSemaphore(value: 0)
    /// Frames in the WAL after the writer's last commit, as SQLite's WAL hook reported them.
    private let frames = Atomic<Int>(0)
    /// Where background passes are counted.
    private let statistics: WriterStatistics
    /// Writes the database file out while checkpoints copy into it (nil without `sync_file_range`).
    private var writeback: DatabaseWriteback?

    init(path: String, threshold: Int, quietPeriod: Duration, statistics: WriterStatistics, logger: Logger) {
        self.threshold = max(64, threshold)
        self.statistics = statistics
        self.quietPeriod = quietPeriod
        self.logger = logger
        self.path = path
    }

    /// Starts the thread and has `writer` report its commits; the writer itself no longer
    /// checkpoints automatically.
    func start(writer: SQLiteConnection) throws(SluiceError) {
        try writer.execute("PRAGMA wal_autocheckpoint = 0")
        writeback = DatabaseWriteback(path: path)
        sqlite3_wal_hook(
            writer.handle,
            { context, _, _, frames in
                guard let context else { return SQLITE_OK }
                Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(frames: Int(frames))
                return SQLITE_OK
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
        // At nice 10 a checkpoint's copying (tens of milliseconds of memcpy) yields a shared core to
        // the writer and the engine: at 1,500 pipelines/s the pipeline's p50 was 4.3 ms against
        // 5.0 (median of 9 alternating pairs). A starved checkpointer cannot let the WAL grow
        // without bound: past the hard limit the writer checkpoints itself.
        NamedThread.start("sluice-checkpt", niceness: 10) { [self] in self.run() }
    }

    /// On the writer thread, after a commit: whether the WAL is past the hard limit, so the
    /// writer should finish a checkpoint now.
    var writerShouldCheckpoint: Bool { frames.load(ordering: .relaxed) >= hardLimit }

    /// Whether commits added frames since the writer last copied the whole WAL.
    var hasFrames: Bool { frames.load(ordering: .relaxed) > 0 }

    /// Records the writer's own checkpoint. The writer does not try again until the next
    /// commit, even when its copy was incomplete: that means the background pass is running,
    /// and it copies the rest.
    func writerCheckpointed() {
        frames.store(0, ordering: .relaxed)
    }

    /// Stops the thread and unhooks `writer`; call on the writer thread before its last checkpoint.
    func stop(writer: SQLiteConnection) {
        sqlite3_wal_hook(writer.handle, nil, nil)
        condition.signalAfter { stopping = true }
        finished.wait()
        writeback?.stop()
        writeback = nil
    }

    /// Runs a checkpoint (on either thread) with the database file written out as it goes.
    func withWriteback(_ checkpoint: () throws(SluiceError) -> Void) throws(SluiceError) {
        writeback?.begin()
        defer { writeback?.end() }
        try checkpoint()
    }

    /// From an idle writer: copy the WAL into the main file, so readers of a quiet log read it
    /// there, once no commit came for ``quietPeriod``. The copy runs here, not on the writer:
    /// done by the writer after every short pause between commits, it held appends back for a
    /// millisecond or two each time (up to 40 ms) and spent a third of the writer's time.
    func requestIdleCheckpoint() {
        condition.signalAfter { idleRequested = true }
    }

    private func committed(frames count: Int) {
        commits.add(1, ordering: .relaxed)
        frames.store(count, ordering: .relaxed)
        guard count >= threshold else { return }
        // A WAL that readers keep from restarting stays past the threshold; copying it after every
        // commit meant a checkpoint (and a sync of the database file) per commit. Once per quarter
        // threshold of new frames copies the same pages, fewer times over.
        let last = framesAtLastRequest.load(ordering: .relaxed)
        guard count < last || count - last >= threshold / 4 else { return }
        framesAtLastRequest.store(count, ordering: .relaxed)
        condition.signalAfter { pending = true }
    }

    private func run() {
        while true {
            condition.lock()
            while !pending && !idleRequested && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                break
            }
            if !pending {
                // An idle request: wait until a whole quiet period passes without a commit.
                let seen = commits.load(ordering: .relaxed)
                let signalled = condition.wait(until: Date(timeIntervalSinceNow: quietPeriod.timeInterval))
                if signalled || commits.load(ordering: .relaxed) != seen {
                    condition.unlock()
                    continue
                }
                idleRequested = false
            }
            pending = false
            condition.unlock()
            do {
                let connection = try self.connection ?? SQLiteConnection(path: path, readOnly: false)
                self.connection = connection
                // PASSIVE never waits on the writer or readers: it copies what it can.
                try withWriteback { () throws(SluiceError) in try connection.execute("PRAGMA wal_checkpoint(PASSIVE)") }
            } catch {
                logger.warning("background checkpoint failed", metadata: ["log.error": "\(error)"])
            }
            statistics.recordCheckpoint(byWriter: false)
        }
        finished.signal()
    }
}
