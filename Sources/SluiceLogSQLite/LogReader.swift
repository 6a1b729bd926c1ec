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

    /// `memoryMapBytes` 0 reads pages with `pread` into the connection's page cache; more maps
    /// that much of the file and reads it in place (see ``LogReaderPool`` for which suits what).
    /// Where position-ordered reads stop while a commit waits for its sync.
    let durable: DurableHead

    init(path: String, label: String, memoryMapBytes: Int, durable: DurableHead, names: InternedNames)
        throws(SluiceError)
    {
        self.durable = durable
        connection = try SQLiteConnection(path: path, readOnly: true)
        try connection.execute(
            "PRAGMA cache_size = -65536; PRAGMA mmap_size = \(max(0, memoryMapBytes)); PRAGMA query_only = 1")
        rows = EventRows(connection: connection, names: names)
        queue = DispatchQueue(label: label)
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

/// Reader connections: point readers handed out round-robin, and one scan reader.
///
/// They differ in memory mapping. A mapped connection reads a long scan in place, without a copy
/// per page (a 1,000-event replay takes about half the time). But SQLite drops a connection's
/// whole mapping at the start of every read transaction that finds the WAL changed, and under
/// live appends that is nearly every one; a short read then pays `munmap` and page faults for the
/// few pages it touches, which cost more than reading them. So point reads and queries (the
/// engine's tails) read through `pread`, and long stream reads map. Measured with
/// `sluice bench pipeline --uploads 3000` (4 alternating pairs): 4,510 ms of CPU with every reader
/// mapped, 4,177 ms with this split.
///
/// Scans are rare (long streams, the whole log, verification), so there is one scan reader,
/// opened at the first scan: a log that never scans holds no connection (and no file
/// descriptors) for it.
final class LogReaderPool: Sendable {
    /// How much of the file the scan reader maps.
    static let scanMemoryMapBytes = 1 << 30

    private let path: String
    private let scanReader = Mutex<LogReader?>(nil)
    private let pointReaders: [LogReader]
    private let next = Atomic<Int>(0)
    private let durable: DurableHead
    private let names: InternedNames

    init(path: String, count: Int, durable: DurableHead, names: InternedNames) throws(SluiceError) {
        self.path = path
        self.durable = durable
        self.names = names
        var pointReaders: [LogReader] = []
        for index in 0..<max(1, count) {
            pointReaders.append(
                try LogReader(
                    path: path, label: "sluice-log-point-reader-\(index)", memoryMapBytes: 0, durable: durable,
                    names: names))
        }
        self.pointReaders = pointReaders
    }

    /// Runs a scan on the scan reader's queue and returns its result.
    func read<T: Sendable>(_ body: @escaping @Sendable (LogReader) throws(SluiceError) -> T) async throws(SluiceError)
        -> T
    {
        let reader = try scanReader.withLock { (reader) throws(SluiceError) -> LogReader in
            if let reader { return reader }
            let opened = try LogReader(
                path: path, label: "sluice-log-scan-reader", memoryMapBytes: Self.scanMemoryMapBytes,
                durable: durable, names: names)
            reader = opened
            return opened
        }
        return try await read(body, on: [reader])
    }

    /// Runs a short, bounded read (one stream's few events, a version) on the calling thread when
    /// a point reader is free: it costs tens of microseconds, less than the two thread switches a
    /// queue hop costs. Falls back to a point reader's queue when every one is busy.
    func readInline<T: Sendable>(_ body: @escaping @Sendable (LogReader) throws(SluiceError) -> T)
        async throws(SluiceError) -> T
    {
        let start = next.add(1, ordering: .relaxed).oldValue
        for offset in 0..<pointReaders.count {
            let reader = pointReaders[(start + offset) % pointReaders.count]
            if let attempt = reader.withReaderIfFree(body) { return try attempt.get() }
        }
        return try await read(body, on: pointReaders)
    }

    /// Runs a read on the next point reader's queue.
    func readPoints<T: Sendable>(_ body: @escaping @Sendable (LogReader) throws(SluiceError) -> T)
        async throws(SluiceError) -> T
    {
        try await read(body, on: pointReaders)
    }

    private func read<T: Sendable>(
        _ body: @escaping @Sendable (LogReader) throws(SluiceError) -> T, on readers: [LogReader]
    ) async throws(SluiceError) -> T {
        let index = next.add(1, ordering: .relaxed).oldValue
        let reader = readers[index % readers.count]
        let result: Result<T, SluiceError> = await withCheckedContinuation { continuation in
            reader.queue.async {
                continuation.resume(returning: reader.withReader(body))
            }
        }
        return try result.get()
    }
}
