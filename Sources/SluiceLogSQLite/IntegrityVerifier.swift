import SluiceCore

/// Checks a log end to end inside one read transaction: SQLite's own structure, gap-free
/// positions, contiguous stream versions, non-decreasing time, and the hash chain.
enum IntegrityVerifier {
    /// How often `progress` is told how far the check got.
    static let progressInterval: Int64 = 100_000

    static func verify(
        _ reader: LogReader,
        progress: @Sendable (Int64, Int64) -> Void
    ) throws(SluiceError) -> IntegrityReport {
        var report = IntegrityReport()
        let connection = reader.connection
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }

        let check = try connection.statement("PRAGMA quick_check")
        defer { check.reset() }
        while try check.step() {
            if let line = check.text(0), line != "ok" { report.add("SQLite structure: \(line)") }
        }

        let total = try connection.scalarInteger("SELECT count(*) FROM events") ?? 0
        let select = try connection.statement(
            "SELECT \(EventRows.columns), hash FROM events INDEXED BY events_by_position ORDER BY position"
        )
        defer { select.reset() }
        var expectedPosition: Int64 = 1
        var previousHash = EventHasher.genesis
        var previousTime = Int64.min
        var streamVersions: [Int64: Int64] = [:]
        while try select.step() {
            let event = try reader.rows.decode(select)
            let streamID = select.int64(0)
            if event.position != expectedPosition {
                report.add("position \(event.position) follows \(expectedPosition - 1): positions have a gap")
            }
            let expectedVersion = (streamVersions[streamID] ?? 0) + 1
            if event.version != expectedVersion {
                report.add("stream \(event.stream) has version \(event.version) where \(expectedVersion) was expected")
            }
            if event.timestamp < previousTime {
                report.add("position \(event.position) is recorded earlier than the event before it")
            }
            let content = EventHasher.contentDigest(
                stream: event.stream.rawValue,
                type: event.type,
                data: event.data,
                eventID: event.id,
                correlationID: event.metadata.correlationID,
                causationID: event.metadata.causationID,
                principal: event.metadata.principal,
                extra: select.text(9)
            )
            let hash = EventHasher.chain(
                previous: previousHash,
                position: event.position,
                version: event.version,
                recordedAt: event.timestamp,
                content: content
            )
            if hash != select.blob(11) {
                report.add(
                    "position \(event.position) (stream \(event.stream)) does not match its hash: history was altered")
            }
            previousHash = select.blob(11)
            previousTime = event.timestamp
            streamVersions[streamID] = event.version
            expectedPosition = event.position + 1
            report.eventsChecked += 1
            if report.eventsChecked % progressInterval == 0 { progress(report.eventsChecked, total) }
        }
        report.streamsChecked = streamVersions.count
        let projectionsAhead =
            try connection.scalarInteger(
                "SELECT count(*) FROM projections WHERE position > ?",
                [.integer(expectedPosition - 1)]
            ) ?? 0
        if projectionsAhead > 0 { report.add("\(projectionsAhead) projection(s) claim events the log does not hold") }
        progress(report.eventsChecked, total)
        return report
    }
}
