import SluiceCore
import SluiceLog

extension TieredReads {
    /// One statement of an audit query: the settled part or one recent table's part.
    struct QueryPart {
        var sql: String
        var arguments: [SQLiteArgument]
    }

    /// Runs an audit query: the settled part, then the recent parts for what the page has room for.
    /// Nothing after `readableThrough` is returned, when it is set.
    func query(_ query: EventQuery, marks: TierMarks, readableThrough: Int64? = nil) throws(SluiceError) -> EventPage {
        guard let parts = try plan(query, marks: marks, readableThrough: readableThrough) else {
            return EventPage(events: [], nextCursor: nil)
        }
        var events: [RecordedEvent] = []
        for part in parts where events.count < query.limit {
            let select = try connection.statement(part.sql)
            defer { select.reset() }
            try select.bind(part.arguments + [.integer(Int64(query.limit - events.count))])
            // No reservation: a query's filters usually find far fewer events than its limit.
            try rows.decodeAll(select, into: &events, expected: 0)
        }
        let cursor = events.count == query.limit ? events.last?.position : nil
        return EventPage(events: events, nextCursor: cursor)
    }

    /// The settled and the recent statements of a query (each still missing its final LIMIT
    /// argument), or nil when a filter names something that does not exist.
    ///
    /// A stream filter reads each tier through its stream index. Any other query walks
    /// `event_positions` (by position, or through its type or correlation index) and joins each
    /// position to its row in the tier that holds it. A stream filter with types takes whichever
    /// is shorter: the stream, or the events of those types (a topic's one `topic.deleted` among
    /// its million messages is found through the type index, not by reading every message).
    func plan(_ query: EventQuery, marks: TierMarks, readableThrough: Int64? = nil) throws(SluiceError) -> [QueryPart]?
    {
        guard var filters = try Filters(query, reads: self) else { return nil }
        if let readableThrough {
            guard readableThrough > query.after else { return nil }
            filters.endPosition = min(filters.endPosition ?? .max, readableThrough + 1)
        }
        if let streamID = filters.streamID, !filters.typeIDs.isEmpty,
            try typesAreRarer(filters.typeIDs, than: streamVersion(streamID, marks: marks))
        {
            filters.streamID = nil
            filters.positionStreamID = streamID
        }
        let parts = plannedParts(query, filters, marks: marks)
        return query.newestFirst ? parts.reversed() : parts
    }

    /// Whether fewer than `length` events have one of the types, counting no further than that.
    private func typesAreRarer(_ typeIDs: [Int64], than length: Int64) throws(SluiceError) -> Bool {
        let marks = Array(repeating: "?", count: typeIDs.count).joined(separator: ", ")
        let count =
            try connection.scalarInteger(
                "SELECT count(*) FROM (SELECT 1 FROM event_positions WHERE type_id IN (\(marks)) LIMIT ?)",
                typeIDs.map { .integer($0) } + [.integer(length)]) ?? 0
        return count < length
    }

    private func plannedParts(_ query: EventQuery, _ filters: Filters, marks: TierMarks) -> [QueryPart] {
        let settled = marks.settled
        let after = max(query.after, settled)
        if let streamID = filters.streamID {
            return [streamPart(table: "events", streamID: streamID, filters, after: query.after, through: settled)]
                + marks.occupied.map { table in
                    streamPart(table: table.name, buckets: table.buckets, streamID: streamID, filters, after: after)
                }
        }
        return [
            positionsPart(
                join:
                    "events ON events.stream_id = event_positions.stream_id AND events.version = event_positions.version",
                payload: "events", filters, after: query.after, through: settled)
        ]
            + marks.occupied.map { table in
                positionsPart(
                    join: "\(table.name) ON \(table.name).position = event_positions.position",
                    payload: table.name, filters, after: after)
            }
    }

    /// One tier's part of a stream query; `buckets` is set for a recent table.
    private func streamPart(
        table: String, buckets: RecentBuckets? = nil, streamID: Int64, _ filters: Filters, after: Int64,
        through: Int64? = nil
    ) -> QueryPart {
        var clauses = ["\(table).stream_id = ?", "\(table).position > ?"]
        if let buckets { clauses.insert(buckets.condition, at: 0) }
        var arguments: [SQLiteArgument] = [.integer(streamID), .integer(after)]
        if let through {
            clauses.append("\(table).position <= ?")
            arguments.append(.integer(through))
        }
        filters.append(to: &clauses, &arguments, indexed: table, payload: table)
        let order = buckets?.order(filters.order) ?? "\(table).version\(filters.order)"
        return QueryPart(
            sql: (buckets?.with ?? "") + "SELECT \(EventRows.columns(of: table)) FROM \(table) WHERE "
                + "\(clauses.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?",
            arguments: arguments
        )
    }

    private func positionsPart(join: String, payload: String, _ filters: Filters, after: Int64, through: Int64? = nil)
        -> QueryPart
    {
        var clauses = ["event_positions.position > ?"]
        var arguments: [SQLiteArgument] = [.integer(after)]
        if let through {
            clauses.append("event_positions.position <= ?")
            arguments.append(.integer(through))
        }
        filters.append(to: &clauses, &arguments, indexed: "event_positions", payload: payload)
        // CROSS JOIN keeps event_positions as the outer loop, so its indexes drive the query.
        return QueryPart(
            sql: "SELECT \(EventRows.columns(of: payload)) FROM event_positions CROSS JOIN \(join) WHERE "
                + "\(clauses.joined(separator: " AND ")) ORDER BY event_positions.position\(filters.order) LIMIT ?",
            arguments: arguments
        )
    }

    /// A query's filters with names resolved to interned ids and times to positions.
    private struct Filters {
        var streamID: Int64?
        /// A stream filter applied to `event_positions` rows instead of read by stream key.
        var positionStreamID: Int64?
        var streamPrefix: String?
        var typeIDs: [Int64] = []
        var correlationID: Int64?
        var firstPosition: Int64?
        var endPosition: Int64?
        var predicates: [FieldPredicate]
        var before: Int64?
        /// The ORDER BY direction: empty (ascending) or " DESC".
        var order = ""

        init?(_ query: EventQuery, reads: TieredReads) throws(SluiceError) {
            let connection = reads.connection
            if let stream = query.stream {
                guard let id = try reads.streamID(stream.rawValue) else { return nil }
                streamID = id
            }
            streamPrefix = query.streamPrefix
            for type in query.types {
                if let id = try connection.internedID("SELECT id FROM event_types WHERE name = ?", type) {
                    typeIDs.append(id)
                }
            }
            guard query.types.isEmpty || !typeIDs.isEmpty else { return nil }
            if let correlation = query.correlationID {
                guard
                    let id = try connection.internedID("SELECT id FROM correlations WHERE value = ?", correlation)
                else { return nil }
                correlationID = id
            }
            if let since = query.since { firstPosition = try reads.firstPosition(atOrAfter: since) }
            if let until = query.until { endPosition = try reads.firstPosition(atOrAfter: until) }
            predicates = query.predicates
            if query.newestFirst {
                order = " DESC"
                before = query.before
            }
        }

        /// Adds every filter but the stream: the indexed ones on `indexed`, predicates on `payload`.
        func append(
            to clauses: inout [String], _ arguments: inout [SQLiteArgument], indexed: String, payload: String
        ) {
            if let positionStreamID {
                clauses.append("\(indexed).stream_id = ?")
                arguments.append(.integer(positionStreamID))
            }
            if let streamPrefix {
                clauses.append("\(indexed).stream_id IN (SELECT id FROM streams WHERE name >= ? AND name < ?)")
                arguments += [.text(streamPrefix), .text(streamPrefix + "\u{10FFFF}")]
            }
            if !typeIDs.isEmpty {
                let marks = Array(repeating: "?", count: typeIDs.count).joined(separator: ", ")
                clauses.append("\(indexed).type_id IN (\(marks))")
                arguments += typeIDs.map { .integer($0) }
            }
            if let correlationID {
                clauses.append("\(indexed).correlation_id = ?")
                arguments.append(.integer(correlationID))
            }
            if let firstPosition {
                clauses.append("\(indexed).position >= ?")
                arguments.append(.integer(firstPosition))
            }
            if let endPosition {
                clauses.append("\(indexed).position < ?")
                arguments.append(.integer(endPosition))
            }
            if let before {
                clauses.append("\(indexed).position < ?")
                arguments.append(.integer(before))
            }
            for predicate in predicates {
                let (clause, values) = predicate.sql(table: payload)
                clauses.append(clause)
                arguments += values
            }
        }
    }
}

extension FieldPredicate {
    /// The SQL condition on a payload table's columns, and its arguments. Paths are built from
    /// checked keys only, and values are always bound, never spliced into the SQL.
    func sql(table: String) -> (String, [SQLiteArgument]) {
        let field: String
        var arguments: [SQLiteArgument] = []
        switch (root, path.count == 1 ? path[0] : nil) {
        case (.metadata, "correlationId"?):
            field = "(SELECT value FROM correlations WHERE id = \(table).correlation_id)"
        case (.metadata, "causationId"?):
            field = "\(table).causation_id"
        case (.metadata, "principal"?):
            field = "\(table).principal"
        case (.metadata, _):
            field = "json_extract(\(table).extra, ?)"
            arguments.append(.text(jsonPath))
        case (.data, _):
            field = "json_extract(\(table).data, ?)"
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
