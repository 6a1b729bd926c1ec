import SluiceCore
import SluiceLog

extension LogWriter {
    /// Events per transaction when replaying the log into projections.
    static let projectionReplayChunk = 5_000

    /// Brings every registered projection up to the head: a new or changed projection is rebuilt
    /// from the start, one that fell behind (registered later) continues from its position.
    func catchUpProjections() throws(SluiceError) {
        for projection in projections {
            let stored = try storedProjection(projection.name)
            if stored?.schemaVersion != projection.schemaVersion {
                try rebuild(projection)
            } else if let stored, stored.position < state.headPosition {
                try replay(into: projection, after: stored.position)
            }
        }
    }

    /// Drops and recreates every projection's tables and replays the whole log into them.
    func rebuildAllProjections() throws(SluiceError) -> Int64 {
        for projection in projections { try rebuild(projection) }
        return state.headPosition
    }

    private func rebuild(_ projection: any Projection) throws(SluiceError) {
        try inTransaction { () throws(SluiceError) in
            for table in projection.tables {
                try connection.execute("DROP TABLE IF EXISTS \"\(String(table.filter { $0 != "\"" }))\"")
            }
            try projection.createTables(in: projectionDatabase)
            try recordProjectionPosition(projection, position: 0)
        }
        try replay(into: projection, after: 0)
    }

    private func replay(into projection: any Projection, after start: Int64) throws(SluiceError) {
        var position = start
        while position < state.headPosition {
            try inTransaction { () throws(SluiceError) in
                let events = try tiers.readAll(
                    from: position + 1, limit: Self.projectionReplayChunk, marks: try tiers.marks())
                guard let last = events.last else {
                    position = state.headPosition
                    return
                }
                try projection.apply(events, in: projectionDatabase)
                try recordProjectionPosition(projection, position: last.position)
                position = last.position
            }
        }
    }

    func recordProjectionPosition(_ projection: any Projection, position: Int64) throws(SluiceError) {
        let upsert = try connection.statement(
            """
            INSERT INTO projections (name, schema_version, position) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET schema_version = excluded.schema_version, position = excluded.position
            """
        )
        defer { upsert.reset() }
        upsert.bind(projection.name, at: 1)
        upsert.bind(Int64(projection.schemaVersion), at: 2)
        upsert.bind(position, at: 3)
        try upsert.step()
    }

    private func storedProjection(_ name: String) throws(SluiceError) -> (schemaVersion: Int, position: Int64)? {
        let select = try connection.statement("SELECT schema_version, position FROM projections WHERE name = ?")
        defer { select.reset() }
        select.bind(name, at: 1)
        guard try select.step() else { return nil }
        return (Int(select.int64(0)), select.int64(1))
    }

    private func inTransaction(_ body: () throws(SluiceError) -> Void) throws(SluiceError) {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            try body()
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}

/// Lets projections run SQL on the writer connection, inside the append transaction.
final class ConnectionProjectionDatabase: ProjectionDatabase {
    private let connection: SQLiteConnection

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws(SluiceError) {
        let statement = try connection.statement(sql)
        defer { statement.reset() }
        try statement.bind(arguments.map(\.sqliteArgument))
        while try statement.step() {}
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws(SluiceError) -> [[SQLValue]] {
        let statement = try connection.statement(sql)
        defer { statement.reset() }
        try statement.bind(arguments.map(\.sqliteArgument))
        var rows: [[SQLValue]] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map { statement.value($0) })
        }
        return rows
    }
}

extension SQLValue {
    var sqliteArgument: SQLiteArgument {
        switch self {
        case .null: .null
        case .integer(let value): .integer(value)
        case .real(let value): .real(value)
        case .text(let value): .text(value)
        case .blob(let value): .blob(value)
        }
    }
}
