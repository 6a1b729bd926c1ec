import Foundation

/// Has the kernel write a checkpoint's pages to disk while the checkpoint copies them, every few
/// milliseconds, instead of all at the checkpoint's closing fsync.
///
/// A checkpoint copies up to 32 MiB of WAL into the database file through the page cache, then
/// fsyncs it. Left alone, the kernel writes all of it at that fsync, and the WAL's fsync, which
/// every acknowledged append waits for, queues behind it: appends stalled 10-28 ms. Started early
/// (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`, which starts writeback and does not wait for
/// it), the disk takes the pages in small runs and the closing fsync finds little left. Durability
/// is unchanged: the checkpoint still syncs the file before SQLite counts the frames as copied.
///
/// `@unchecked Sendable`: `active` and `stopping` are guarded by `condition`; the rest is immutable.
final class DatabaseWriteback: @unchecked Sendable {
    /// Starts writeback of the file behind a descriptor.
    typealias Nudge = @Sendable (Int32) -> Void

    private let descriptor: Int32
    private let interval: TimeInterval
    private let nudge: Nudge
    private let condition = NSCondition()
    private var active = 0
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    /// Opens the database at `path` and starts the thread; nil when the file cannot be opened or
    /// libc has no `sync_file_range` (checkpoints then run as they did without it).
    init?(path: String, interval: Duration = .milliseconds(4), nudge: Nudge? = DatabaseWriteback.startWriteback) {
        guard let nudge else { return nil }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.interval = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        self.nudge = nudge
        NamedThread.start("sluice-writeback") { [self] in run() }
    }

    /// Marks a checkpoint under way until the matching ``end()``.
    func begin() {
        condition.signalAfter { active += 1 }
    }

    func end() {
        condition.lock()
        active -= 1
        condition.unlock()
    }

    /// Stops the thread and closes the file.
    func stop() {
        condition.signalAfter { stopping = true }
        finished.wait()
        close(descriptor)
    }

    private func run() {
        condition.lock()
        while true {
            while active == 0 && !stopping { condition.wait() }
            if stopping { break }
            condition.unlock()
            nudge(descriptor)
            condition.lock()
            if active > 0 && !stopping { _ = condition.wait(until: Date(timeIntervalSinceNow: interval)) }
        }
        condition.unlock()
        finished.signal()
    }

    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32

    /// `sync_file_range(descriptor, 0, 0, SYNC_FILE_RANGE_WRITE)` over the whole file, looked up at
    /// run time: the Glibc module does not import it.
    static let startWriteback: Nudge? = {
        guard let symbol = dlsym(nil, "sync_file_range") else { return nil }
        let syncFileRange = unsafeBitCast(symbol, to: SyncFileRange.self)
        return { descriptor in _ = syncFileRange(descriptor, 0, 0, 2) }
    }()
}
