import SluiceCore
import SluiceLog

/// Checks a log end to end inside one read transaction: SQLite's own structure, gap-free
/// positions, contiguous stream versions, non-decreasing time, the hash chain, and that the
/// position index (`event_positions`) and both tiers agree with one another.
struct IntegrityVerifier {
    /// How often `progress` is told how far the check got.
    static let progressInterval: Int64 = 100_000

    /// Walks `event_positions` with each position's stored row from one tier; columns after the
    /// event's are its hash, then the index row: position, stream, version, type, correlation, time.
    private static func walk(tier: String, join: String, range: String) -> String {
        """
        SELECT \(EventRows.columns(of: tier)), \(tier).hash, event_positions.position, event_positions.stream_id,
            event_positions.version, event_positions.type_id, event_positions.correlation_id,
            event_positions.recorded_at, \(tier).stream_id IS NOT NULL
        FROM event_positions LEFT JOIN \(tier) ON \(join)
        WHERE \(range) ORDER BY event_positions.position
        """
    }

    private let reader: LogReader
    private let progress: @Sendable (Int64, Int64) -> Void
    private var report = IntegrityReport()
    private var expectedPosition: Int64 = 1
    private var previousHash = EventHasher.genesis
    private var previousTime = Int64.min
    private var streamVersions: [Int64: Int64] = [:]
    private var total: Int64 = 0

    static func verify(
        _ reader: LogReader,
        progress: @escaping @Sendable (Int64, Int64) -> Void
    ) throws(SluiceError) -> IntegrityReport {
        var verifier = IntegrityVerifier(reader: reader, progress: progress)
        return try reader.connection.readTransaction { () throws(SluiceError) -> IntegrityReport in
            try verifier.run()
            return verifier.report
        }
    }

    private init(reader: LogReader, progress: @escaping @Sendable (Int64, Int64) -> Void) {
        self.reader = reader
        self.progress = progress
    }

    private mutating func run() throws(SluiceError) {
        let connection = reader.connection
        let quickCheck = try connection.statement("PRAGMA quick_check")
        defer { quickCheck.reset() }
        while try quickCheck.step() {
            if let line = quickCheck.text(0), line != "ok" { report.add("SQLite structure: \(line)") }
        }
        total = try connection.scalarInteger("SELECT count(*) FROM event_positions") ?? 0
        let marks = try reader.tiers.marks()
        let settled = marks.settled
        let older = try connection.statement(
            Self.walk(
                tier: "events",
                join: "events.stream_id = event_positions.stream_id AND events.version = event_positions.version",
                range: "event_positions.position <= ?"))
        defer { older.reset() }
        older.bind(settled, at: 1)
        while try older.step() { try verifyRow(older, tier: "settled") }
        // The older recent table holds the positions from the settled mark up to where the table
        // taking appends starts; that table holds the rest.
        let ranges = [
            "event_positions.position > ?1 AND event_positions.position < ?2", "event_positions.position >= ?2",
        ]
        for (table, range) in zip(marks.recent, ranges) {
            let newer = try connection.statement(
                Self.walk(tier: table.name, join: "\(table.name).position = event_positions.position", range: range))
            defer { newer.reset() }
            newer.bind(settled, at: 1)
            newer.bind(marks.appendingFrom, at: 2)
            while try newer.step() { try verifyRow(newer, tier: "recent") }
        }
        report.streamsChecked = streamVersions.count
        try checkRowCounts(settled: settled)
        let projectionsAhead =
            try connection.scalarInteger(
                "SELECT count(*) FROM projections WHERE position > ?", [.integer(expectedPosition - 1)]) ?? 0
        if projectionsAhead > 0 { report.add("\(projectionsAhead) projection(s) claim events the log does not hold") }
        progress(report.eventsChecked, total)
    }

    private mutating func verifyRow(_ row: SQLiteStatement, tier: String) throws(SluiceError) {
        let position = row.int64(12)
        if position != expectedPosition {
            report.add("position \(position) follows \(expectedPosition - 1): positions have a gap")
        }
        expectedPosition = position + 1
        report.eventsChecked += 1
        if report.eventsChecked % Self.progressInterval == 0 { progress(report.eventsChecked, total) }
        guard row.int64(18) != 0 else {
            report.add("position \(position) has no stored event in the \(tier) tier: history was deleted")
            return
        }
        let event = try reader.rows.decode(row)
        let streamID = row.int64(13)
        if event.position != position || row.int64(0) != streamID || event.version != row.int64(14)
            || row.int64(3) != row.int64(15) || row.value(6) != row.value(16) || event.timestamp != row.int64(17)
        {
            report.add("position \(position) differs from its entry in the position index")
        }
        let expectedVersion = (streamVersions[streamID] ?? 0) + 1
        if event.version != expectedVersion {
            report.add("stream \(event.stream) has version \(event.version) where \(expectedVersion) was expected")
        }
        if event.timestamp < previousTime {
            report.add("position \(position) is recorded earlier than the event before it")
        }
        let content = EventHasher.contentDigest(
            stream: event.stream.rawValue,
            type: event.type,
            data: event.data,
            eventID: event.id,
            correlationID: event.metadata.correlationID,
            causationID: event.metadata.causationID,
            principal: event.metadata.principal,
            extra: row.text(9)
        )
        let hash = EventHasher.chain(
            previous: previousHash,
            position: position,
            version: event.version,
            recordedAt: event.timestamp,
            content: content
        )
        let stored = row.blob(11)
        if hash != stored {
            report.add("position \(position) (stream \(event.stream)) does not match its hash: history was altered")
        }
        previousHash = stored
        previousTime = event.timestamp
        streamVersions[streamID] = event.version
    }

    /// Rows the walk cannot see: settled rows no index entry points to, or recent rows beyond the index.
    private mutating func checkRowCounts(settled: Int64) throws(SluiceError) {
        let connection = reader.connection
        let settledRows =
            try connection.scalarInteger("SELECT count(*) FROM events WHERE position <= ?", [.integer(settled)]) ?? 0
        let settledIndexed =
            try connection.scalarInteger(
                "SELECT count(*) FROM event_positions WHERE position <= ?", [.integer(settled)]) ?? 0
        if settledRows != settledIndexed {
            report.add("the settled tier holds \(settledRows) events where the position index has \(settledIndexed)")
        }
        let recentRows =
            try connection.scalarInteger(
                "SELECT (SELECT count(*) FROM events_recent_a) + (SELECT count(*) FROM events_recent_b)") ?? 0
        if recentRows != total - settledIndexed {
            report.add(
                "the recent tier holds \(recentRows) events where the position index has \(total - settledIndexed)")
        }
    }
}
