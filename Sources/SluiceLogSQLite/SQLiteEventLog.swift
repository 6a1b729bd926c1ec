import Foundation
import Logging
public import SluiceCore
public import SluiceLog

/// The durable event log in one SQLite file (WAL mode): one writer thread with group commit,
/// reads on their own connections, schema from the embedded migrations.
public final class SQLiteEventLog: EventLog {
    /// The configuration the log was opened with.
    public let configuration: Configuration
    private let writer: LogWriter
    /// What this log's writer has interned and committed, as its readers see it.
    var internedNames: InternedNames { writer.names }
    let readers: LogReaderPool
    private let signal: CommitSignal
    /// Group-commit counters since the log was opened.
    public let statistics: WriterStatistics

    private init(
        configuration: Configuration,
        writer: LogWriter,
        readers: LogReaderPool,
        signal: CommitSignal,
        statistics: WriterStatistics
    ) {
        self.configuration = configuration
        self.writer = writer
        self.readers = readers
        self.signal = signal
        self.statistics = statistics
    }

    /// Opens the log, creating and migrating the file as needed, and starts the writer.
    ///
    /// Throws `corruptStore` for a file that is not a Sluice database or is damaged, and
    /// `incompatibleSchema` for one written by a newer Sluice.
    public static func open(_ configuration: Configuration) async throws(SluiceError) -> SQLiteEventLog {
        let result: Result<SQLiteEventLog, SluiceError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(SluiceError) in try openBlocking(configuration) })
            }
        }
        return try result.get()
    }

    private static func openBlocking(_ configuration: Configuration) throws(SluiceError) -> SQLiteEventLog {
        let directory = URL(fileURLWithPath: configuration.path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SluiceError(
                .storageFailure, "cannot create the data directory \(directory.path): \(error.localizedDescription)")
        }
        let connection = try SQLiteConnection(path: configuration.path, readOnly: false)
        try connection.execute("PRAGMA journal_mode = WAL")
        // secure_delete off: emptying a settled recent table then frees its pages without writing
        // them (Debian builds SQLite with it on). Their events are in the settled tier by then.
        try connection.execute(
            """
            PRAGMA synchronous = \(configuration.synchronous.rawValue.uppercased());
            PRAGMA wal_autocheckpoint = \(max(0, configuration.walAutocheckpointPages));
            PRAGMA cache_size = -\(max(2_048, configuration.writerCacheKiB));
            PRAGMA temp_store = MEMORY;
            PRAGMA foreign_keys = OFF;
            PRAGMA secure_delete = OFF;
            """
        )
        try MigrationRunner.migrate(connection, logger: configuration.logger)
        let signal = CommitSignal()
        let durable = DurableHead(signal: signal)
        let names = InternedNames()
        let statistics = WriterStatistics()
        let writer = try LogWriter(
            connection: connection,
            configuration: configuration,
            signal: signal,
            durable: durable,
            names: names,
            statistics: statistics
        )
        let readers = try LogReaderPool(
            path: configuration.path, count: configuration.readerCount, durable: durable, names: names)
        try writer.start()
        configuration.logger.info(
            "event log open",
            metadata: ["log.path": "\(configuration.path)", "log.synchronous": "\(configuration.synchronous.rawValue)"]
        )
        return SQLiteEventLog(
            configuration: configuration,
            writer: writer,
            readers: readers,
            signal: signal,
            statistics: statistics
        )
    }

    /// Commits what is queued, then stops the writer; later appends fail with `unavailable`.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.writer.stop()
                continuation.resume()
            }
        }
    }

    public func append(
        _ events: [NewEvent],
        to stream: StreamName,
        expectedVersion: ExpectedVersion,
        idempotencyKey: String?
    ) async throws(SluiceError) -> AppendResult {
        try AppendValidation.validate(events, idempotencyKey: idempotencyKey)
        var generator = PooledRandomGenerator()
        let now = configuration.now()
        let part = PendingAppend.Part(
            stream: stream, expectedVersion: expectedVersion,
            events: events.map { PreparedEvent($0, stream: stream, nowMicros: now, generator: &generator) })
        return try await enqueue([part], idempotencyKey: idempotencyKey)[0]
    }

    public func append(_ parts: [StreamAppend], idempotencyKey: String?) async throws(SluiceError) -> [AppendResult] {
        try AppendValidation.validate(parts, idempotencyKey: idempotencyKey)
        var generator = PooledRandomGenerator()
        let now = configuration.now()
        let pending = parts.map { part in
            PendingAppend.Part(
                stream: part.stream, expectedVersion: part.expectedVersion,
                events: part.events.map {
                    PreparedEvent($0, stream: part.stream, nowMicros: now, generator: &generator)
                }
            )
        }
        return try await enqueue(pending, idempotencyKey: idempotencyKey)
    }

    /// Hands prepared parts to the writer and waits until they are durable or refused.
    private func enqueue(_ parts: [PendingAppend.Part], idempotencyKey: String?) async throws(SluiceError)
        -> [AppendResult]
    {
        let result: Result<[AppendResult], SluiceError> = await withCheckedContinuation { continuation in
            writer.enqueue(
                PendingAppend(
                    parts: parts, idempotencyKey: idempotencyKey,
                    completion: { continuation.resume(returning: $0) }))
        }
        return try result.get()
    }

    public func readStream(_ stream: StreamName, from version: Int64, limit: Int) async throws(SluiceError)
        -> [RecordedEvent]
    {
        let read: @Sendable (LogReader) throws(SluiceError) -> [RecordedEvent] = { reader throws(SluiceError) in
            try reader.readStream(stream, from: version, limit: limit)
        }
        return limit <= Self.inlineStreamReadLimit
            ? try await readers.readInline(read) : try await readers.read(read)
    }

    /// The longest stream read that runs on the calling thread when a point reader is free.
    ///
    /// A page of up to 1,000 events reads from the page cache in about half a millisecond
    /// (`sluice bench log`), and the hop to a reader's queue and back cost 60-90 µs of that on
    /// 2 cores: two thread wake-ups. Longer reads go to the scan reader, where holding a thread
    /// for their whole length keeps them off the cooperative pool.
    static let inlineStreamReadLimit = 1_000

    public func readAll(from position: Int64, limit: Int) async throws(SluiceError) -> [RecordedEvent] {
        try await readers.read { reader throws(SluiceError) in try reader.readAll(from: position, limit: limit) }
    }

    public func query(_ query: EventQuery) async throws(SluiceError) -> EventPage {
        let query = try query.validated()
        return try await readers.readPoints { reader throws(SluiceError) in try reader.query(query) }
    }

    /// A tail's poll runs on the calling thread when a point reader is free. Its work is bounded:
    /// a poll that finds less than a page moves the tail to the head, so the next one reads what
    /// was appended since (a full page is one the tail's consumer then spends longer on). The hop
    /// to a reader's queue and back (two thread wake-ups, and any wait behind a longer query
    /// there) sat on every pipeline stage a tail drives: `bench pipeline` at 1,500/s, p50
    /// 2.99/3.18/3.47 ms with the hop for polls with field predicates, 2.87/2.74/2.94 without.
    public func pollQuery(_ query: EventQuery) async throws(SluiceError) -> EventPage {
        let query = try query.validated()
        let read: @Sendable (LogReader) throws(SluiceError) -> EventPage = { reader throws(SluiceError) in
            try reader.query(query)
        }
        return try await readers.readInline(read)
    }

    public func streamVersion(_ stream: StreamName) async throws(SluiceError) -> Int64 {
        try await readers.readInline { reader throws(SluiceError) in try reader.streamVersion(stream) }
    }

    public func streamNames(prefix: String, from: String?, limit: Int) async throws(SluiceError) -> [StreamName] {
        try await readers.read { reader throws(SluiceError) in
            try reader.streamNames(prefix: prefix, from: from, limit: limit)
        }
    }

    public func headPosition() async throws(SluiceError) -> Int64 {
        try await readers.readInline { reader throws(SluiceError) in try reader.headPosition() }
    }

    public func waitForAppend(after position: Int64, timeout: Duration) async {
        await signal.wait(after: position, timeout: timeout)
    }

    /// The SQLite query plan of an audit query (each tier's statement in turn), so tests and
    /// operators can see which index it uses.
    public func queryPlan(_ query: EventQuery) async throws(SluiceError) -> [String] {
        try await readers.read { reader throws(SluiceError) in
            var lines: [String] = []
            for part in try reader.plan(query) {
                let explain = try reader.connection.statement("EXPLAIN QUERY PLAN " + part.sql)
                defer { explain.reset() }
                try explain.bind(part.arguments + [.integer(Int64(query.limit))])
                while try explain.step() { lines.append(explain.text(3) ?? "") }
            }
            return lines
        }
    }

    /// Moves every recent event into the settled tier now, between appends. The writer does this
    /// by itself when idle; benchmarks and tools call it to measure or inspect a settled log.
    public func settle() async throws(SluiceError) {
        try await writer.perform { writer throws(SluiceError) in try writer.settleAll() }
    }

    /// Runs one settle transaction now and returns the rows it moved (0: nothing to settle), so
    /// tests can stop a settle round half way.
    func settleStep() async throws(SluiceError) -> Int {
        try await writer.perform { writer throws(SluiceError) in try writer.settleStep(minimumBacklog: 1) }
    }

    /// Drops every projection's tables and replays the whole log into them, between appends.
    @discardableResult
    public func rebuildProjections() async throws(SluiceError) -> Int64 {
        try await writer.perform { writer throws(SluiceError) in try writer.rebuildAllProjections() }
    }
}

extension SQLiteEventLog {
    /// Checks the whole log (structure, positions, versions, time, hash chain) from a snapshot;
    /// `progress` receives (events checked, events in total) now and then.
    public func verify(progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }) async throws(SluiceError)
        -> IntegrityReport
    {
        try await readers.read { reader throws(SluiceError) in try IntegrityVerifier.verify(reader, progress: progress)
        }
    }
}
