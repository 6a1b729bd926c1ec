import SluiceCore

/// Reads `events` rows back into ``RecordedEvent`` values, resolving interned ids to names.
///
/// Interned ids never change once committed, so each connection caches them; one instance
/// belongs to one connection and so to one thread.
final class EventRows {
    private static let names = [
        "stream_id", "version", "position", "type_id", "recorded_at", "event_id", "correlation_id", "causation_id",
        "principal", "extra", "data",
    ]

    /// The columns every event read selects, in the order `decode` expects.
    static let columns = names.joined(separator: ", ")

    /// The tiers' qualified lists, built once: every query's SQL names one.
    private static let tierColumns = Dictionary(
        uniqueKeysWithValues: (["events"] + RecentTable.allCases.map(\.name)).map { ($0, qualified($0)) })

    /// ``columns`` qualified with a table name, for reads that join the payload to `event_positions`.
    static func columns(of table: String?) -> String {
        guard let table else { return columns }
        return tierColumns[table] ?? qualified(table)
    }

    private static func qualified(_ table: String) -> String {
        names.map { "\(table).\($0)" }.joined(separator: ", ")
    }

    private let connection: SQLiteConnection
    /// What this process's writer interned, consulted before SQL.
    let names: InternedNames
    private var streamNames: [Int64: StreamName] = [:]
    private var typeNames: [Int64: String] = [:]
    private var correlations: [Int64: String] = [:]
    /// The last id resolved of each kind: consecutive rows of a stream read share their stream
    /// and usually their type and correlation, and this skips hashing for them.
    private var lastStream: (id: Int64, name: StreamName)?
    private var lastType: (id: Int64, name: String)?
    private var lastCorrelation: (id: Int64, value: String)?
    private static let cacheLimit = 100_000

    init(connection: SQLiteConnection, names: InternedNames) {
        self.connection = connection
        self.names = names
    }

    /// Decodes the current row of a statement that selected ``columns`` first.
    func decode(_ row: SQLiteStatement) throws(SluiceError) -> RecordedEvent {
        let eventID = row.columnValue(5).withBlob { bytes -> EventID in
            guard bytes.count == 16 else { return EventID(high: 0, low: 0) }
            return EventID(high: Self.bigEndian(bytes, 0), low: Self.bigEndian(bytes, 8))
        }
        let correlationValue = row.columnValue(6)
        let correlation = correlationValue.isNull ? nil : try correlation(correlationValue.int64)
        return RecordedEvent(
            position: row.int64(2),
            stream: try streamName(row.int64(0)),
            version: row.int64(1),
            type: try typeName(row.int64(3)),
            data: row.columnValue(10).text ?? "null",
            metadata: EventMetadata(
                correlationID: correlation,
                causationID: row.columnValue(7).text,
                principal: row.columnValue(8).text,
                extra: ExtraMetadataCodec.decode(row.columnValue(9).text)
            ),
            timestamp: row.int64(4),
            id: eventID
        )
    }

    /// Appends every event a statement returns to `events`. Once a read passes a few rows,
    /// `events` grows in one step for up to `expected` more (bounded, since a limit is often far
    /// above what a read finds): growing by doubling copied a 1,000-event replay's array ten
    /// times, while the engine's short reads of one or two events should not allocate a page.
    func decodeAll(_ statement: SQLiteStatement, into events: inout [RecordedEvent], expected: Int)
        throws(SluiceError)
    {
        let reserveAt = events.count + Self.rowsBeforeReserving
        let reservation = events.count + min(max(0, expected), Self.reservationLimit)
        while try statement.step() {
            if events.count == reserveAt { events.reserveCapacity(reservation) }
            events.append(try decode(statement))
        }
    }

    private static let rowsBeforeReserving = 16
    private static let reservationLimit = 1_024

    func streamName(_ id: Int64) throws(SluiceError) -> StreamName {
        if let last = lastStream, last.id == id { return last.name }
        if let name = streamNames[id] {
            lastStream = (id, name)
            return name
        }
        let name: StreamName
        if let known = names.streamName(id) {
            name = known
        } else {
            name = StreamName(unchecked: try lookup("SELECT name FROM streams WHERE id = ?", id, what: "stream"))
        }
        if streamNames.count > Self.cacheLimit { streamNames.removeAll() }
        streamNames[id] = name
        return name
    }

    func typeName(_ id: Int64) throws(SluiceError) -> String {
        if let last = lastType, last.id == id { return last.name }
        if let name = typeNames[id] {
            lastType = (id, name)
            return name
        }
        let name: String
        if let known = names.typeName(id) {
            name = known
        } else {
            name = try lookup("SELECT name FROM event_types WHERE id = ?", id, what: "event type")
        }
        typeNames[id] = name
        return name
    }

    func correlation(_ id: Int64) throws(SluiceError) -> String {
        if let last = lastCorrelation, last.id == id { return last.value }
        if let value = correlations[id] {
            lastCorrelation = (id, value)
            return value
        }
        let value: String
        if let known = names.correlation(id) {
            value = known
        } else {
            value = try lookup("SELECT value FROM correlations WHERE id = ?", id, what: "correlation")
        }
        if correlations.count > Self.cacheLimit { correlations.removeAll() }
        correlations[id] = value
        return value
    }

    private func lookup(_ sql: String, _ id: Int64, what: String) throws(SluiceError) -> String {
        let statement = try connection.statement(sql)
        defer { statement.reset() }
        statement.bind(id, at: 1)
        guard try statement.step(), let text = statement.text(0) else {
            throw SluiceError(
                .corruptStore, "event refers to \(what) \(id), which does not exist; run sluice admin verify")
        }
        return text
    }

    private static func bigEndian(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
        return value
    }
}
