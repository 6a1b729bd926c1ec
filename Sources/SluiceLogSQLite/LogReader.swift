import Dispatch
import SluiceCore
import Synchronization

/// One read connection with its own serial queue, so blocking SQLite reads never run on the
/// cooperative pool. `@unchecked Sendable`: `connection` and `rows` are only touched on `queue`.
final class LogReader: @unchecked Sendable {
    let connection: SQLiteConnection
    let rows: EventRows
    let queue: DispatchQueue

    init(path: String, index: Int) throws(SluiceError) {
        connection = try SQLiteConnection(path: path, readOnly: true)
        try connection.execute("PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824; PRAGMA query_only = 1")
        rows = EventRows(connection: connection)
        queue = DispatchQueue(label: "sluice-log-reader-\(index)")
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
                continuation.resume(returning: Result { () throws(SluiceError) -> T in try body(reader) })
            }
        }
        return try result.get()
    }
}
