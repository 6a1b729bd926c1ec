import Dispatch
import SluiceCore
import Synchronization

/// One read connection with its own serial queue, so long SQLite reads never run on the
/// cooperative pool. `@unchecked Sendable`: `connection` and `rows` are only touched while
/// holding `lock` (on `queue`, or inline for a short read).
final class LogReader: @unchecked Sendable {
    let connection: SQLiteConnection
    let rows: EventRows
    let queue: DispatchQueue
    let lock = Mutex(())
    /// Set while `lock` is held, so an inline read can pass a busy reader by without trying its
    /// lock: a contended `Mutex` try-lock on Linux is a futex system call.
    let busy = Atomic<Bool>(false)

    init(path: String, index: Int) throws(SluiceError) {
        connection = try SQLiteConnection(path: path, readOnly: true)
        try connection.execute("PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824; PRAGMA query_only = 1")
        rows = EventRows(connection: connection)
        queue = DispatchQueue(label: "sluice-log-reader-\(index)")
    }

    /// Runs `body` holding the lock, blocking until it is free.
    func withReader<T: Sendable>(_ body: @Sendable (LogReader) throws(SluiceError) -> T) -> Result<T, SluiceError> {
        lock.withLock { _ in markedBusy(body) }
    }

    /// Runs `body` holding the lock if the reader is free now; nil when it is busy.
    func withReaderIfFree<T: Sendable>(
        _ body: @Sendable (LogReader) throws(SluiceError) -> T
    ) -> Result<T, SluiceError>? {
        guard !busy.load(ordering: .relaxed) else { return nil }
        return lock.withLockIfAvailable { _ in markedBusy(body) }
    }

    /// Runs `body` for a caller that holds the lock, with `busy` set meanwhile.
    private func markedBusy<T: Sendable>(
        _ body: @Sendable (LogReader) throws(SluiceError) -> T
    ) -> Result<T, SluiceError> {
        busy.store(true, ordering: .relaxed)
        defer { busy.store(false, ordering: .relaxed) }
        return Result { () throws(SluiceError) -> T in try body(self) }
    }
}

/// Reader connections handed out round-robin; WAL lets them read beside the writer.
final class LogReaderPool: Sendable {
    private let readers: [LogReader]
    private let next = Atomic<Int>(0)

    init(path: String, count: Int) throws(SluiceError) {
        var readers: [LogReader] = []
        for index in 0..<max(1, count) { readers.append(try LogReader(path: path, index: index)) }
        self.readers = readers
    }

    /// Runs `body` on the next reader's queue and returns its result.
    func read<T: Sendable>(_ body: @escaping @Sendable (LogReader) throws(SluiceError) -> T) async throws(SluiceError)
        -> T
    {
        let index = next.add(1, ordering: .relaxed).oldValue
        let reader = readers[index % readers.count]
        let result: Result<T, SluiceError> = await withCheckedContinuation { continuation in
            reader.queue.async {
                continuation.resume(returning: reader.withReader(body))
            }
        }
        return try result.get()
    }

    /// Runs a short, bounded read (one stream's few events, a version) on the calling thread when
    /// a reader is free: it costs tens of microseconds, less than the two thread switches a
    /// queue hop costs. Falls back to a queue when every reader is busy.
    func readInline<T: Sendable>(_ body: @escaping @Sendable (LogReader) throws(SluiceError) -> T)
        async throws(SluiceError) -> T
    {
        let start = next.add(1, ordering: .relaxed).oldValue
        for offset in 0..<readers.count {
            let reader = readers[(start + offset) % readers.count]
            if let attempt = reader.withReaderIfFree(body) { return try attempt.get() }
        }
        return try await read(body)
    }
}
