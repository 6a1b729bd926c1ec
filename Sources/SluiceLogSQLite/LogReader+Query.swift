import SluiceCore
import SluiceLog

extension LogReader {
    /// Runs an audit query. Each filter narrows through an index: stream → the (stream, version)
    /// key, correlation and type → their (id, position) indexes, time → a position range.
    func query(_ query: EventQuery) throws(SluiceError) -> EventPage {
        guard let plan = try plan(query) else { return EventPage(events: [], nextCursor: nil) }
        let select = try connection.statement(plan.sql)
        defer { select.reset() }
        try select.bind(plan.arguments)
        let events = try rows.decodeAll(select)
        let cursor = events.count == query.limit ? events.last?.position : nil
        return EventPage(events: events, nextCursor: cursor)
    }

    /// The SQL for a query, or nil when a filter names something that does not exist.
    func plan(_ query: EventQuery) throws(SluiceError) -> (sql: String, arguments: [SQLiteArgument])? {
        var clauses = ["position > ?"]
        var arguments: [SQLiteArgument] = [.integer(query.after)]
        var order = "position"
        if let stream = query.stream {
            guard let id = try streamID(stream.rawValue) else { return nil }
            clauses.append("stream_id = ?")
            arguments.append(.integer(id))
            order = "version"
        }
        if let prefix = query.streamPrefix {
            clauses.append("stream_id IN (SELECT id FROM streams WHERE name >= ? AND name < ?)")
            arguments += [.text(prefix), .text(prefix + "\u{10FFFF}")]
        }
        if !query.types.isEmpty {
            var typeIDs: [SQLiteArgument] = []
            for type in query.types {
                if let id = try connection.scalarInteger("SELECT id FROM event_types WHERE name = ?", [.text(type)]) {
                    typeIDs.append(.integer(id))
                }
            }
            guard !typeIDs.isEmpty else { return nil }
            clauses.append("type_id IN (\(Array(repeating: "?", count: typeIDs.count).joined(separator: ", ")))")
            arguments += typeIDs
        }
        if let correlation = query.correlationID {
            guard
                let id = try connection.scalarInteger(
                    "SELECT id FROM correlations WHERE value = ?", [.text(correlation)])
            else { return nil }
            clauses.append("correlation_id = ?")
            arguments.append(.integer(id))
        }
        if let since = query.since {
            clauses.append("position >= ?")
            arguments.append(.integer(try firstPosition(atOrAfter: since)))
        }
        if let until = query.until {
            clauses.append("position < ?")
            arguments.append(.integer(try firstPosition(atOrAfter: until)))
        }
        for predicate in query.predicates {
            let (clause, values) = predicate.sql
            clauses.append(clause)
            arguments += values
        }
        let sql =
            "SELECT \(EventRows.columns) FROM events WHERE \(clauses.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?"
        arguments.append(.integer(Int64(query.limit)))
        return (sql, arguments)
    }
}

extension FieldPredicate {
    /// The SQL condition and its arguments. Paths are built from checked keys only, and values
    /// are always bound, never spliced into the SQL.
    var sql: (String, [SQLiteArgument]) {
        let field: String
        var arguments: [SQLiteArgument] = []
        switch (root, path.count == 1 ? path[0] : nil) {
        case (.metadata, "correlationId"?):
            field = "(SELECT value FROM correlations WHERE id = correlation_id)"
        case (.metadata, "causationId"?):
            field = "causation_id"
        case (.metadata, "principal"?):
            field = "principal"
        case (.metadata, _):
            field = "json_extract(extra, ?)"
            arguments.append(.text(jsonPath))
        case (.data, _):
            field = "json_extract(data, ?)"
            arguments.append(.text(jsonPath))
        }
        switch value {
        case .null:
            return ("\(field) IS \(comparison == .equal ? "" : "NOT ")NULL", arguments)
        case .string(let text): arguments.append(.text(text))
        case .integer(let number): arguments.append(.integer(number))
        case .double(let number): arguments.append(.real(number))
        case .bool(let flag): arguments.append(.integer(flag ? 1 : 0))
        }
        return ("\(field) \(comparison.rawValue) ?", arguments)
    }

    private var jsonPath: String {
        "$" + path.map { ".\"\($0)\"" }.joined()
    }
}
