import ArgumentParser
import SluiceCore
import SluiceLog
import SluiceLogSQLite

/// `sluice events query`: the audit query, as JSON lines or a table.
struct EventsQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Find events by stream, type, time, correlation id and data fields.",
        discussion: """
            Filters combine with AND. --where takes FIELD OP VALUE, e.g. "data.objectId = 'x.png'", \
            "data.size >= 100" or "metadata.principal = 'alice'" (OP: = != < <= > >=). Times are RFC 3339 \
            (2026-11-24T10:00:00Z) or Unix seconds. When more events match than --limit, the cursor for the \
            next page is printed on standard error; pass it as --after.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var remote: ServerOptions

    @Option(help: "Only this stream.") var stream: String?
    @Option(help: "Only streams whose name starts with this.") var streamPrefix: String?
    @Option(name: .customLong("type"), help: "Only this event type (repeatable).") var types: [String] = []
    @Option(help: "Only events recorded at or after this time.") var since: String?
    @Option(help: "Only events recorded before this time.") var until: String?
    @Option(help: "Only events with this correlation id.") var correlation: String?
    @Option(name: .customLong("where"), help: "A condition on a data or metadata field (repeatable).")
    var conditions: [String] = []
    @Option(help: "At most this many events.") var limit: Int = 100
    @Option(help: "Only events after this position (the cursor of the previous page).") var after: Int64 = 0
    @Flag(help: "Print JSON lines instead of a table.") var json = false

    func run() async throws {
        let query = try makeQuery()
        if let client = try remote.client() {
            var pairs: [(String, String)] = []
            if let stream { pairs.append(("stream", stream)) }
            if let streamPrefix { pairs.append(("streamPrefix", streamPrefix)) }
            pairs += types.map { ("type", $0) }
            if let since { pairs.append(("since", since)) }
            if let until { pairs.append(("until", until)) }
            if let correlation { pairs.append(("correlation", correlation)) }
            pairs += conditions.map { ("where", $0) }
            pairs += [("limit", String(limit)), ("after", String(after))]
            try await RemoteCommands.events(client, query: pairs, json: json)
            return
        }
        let log = try await database.openExisting()
        let page: EventPage
        do {
            page = try await log.query(query)
        } catch {
            await log.close()
            throw error
        }
        await log.close()
        if json {
            for event in page.events { StandardOutput.line(EventJSON.line(event)) }
        } else {
            StandardOutput.line(EventTable.render(page.events))
        }
        if let cursor = page.nextCursor {
            StandardOutput.errorLine("more events match: continue with --after \(cursor)")
        }
    }

    private func makeQuery() throws -> EventQuery {
        func time(_ text: String?, _ name: String) throws -> Int64? {
            guard let text else { return nil }
            guard let micros = Timestamps.parse(text) else {
                throw ValidationError(
                    "--\(name) '\(text)' is not a time: use RFC 3339 (2026-11-24T10:00:00Z) or Unix seconds")
            }
            return micros
        }
        return try EventQuery(
            stream: stream.map { name throws(SluiceError) in try StreamName(name) },
            streamPrefix: streamPrefix,
            types: types,
            since: time(since, "since"),
            until: time(until, "until"),
            correlationID: correlation,
            predicates: conditions.map { text throws(SluiceError) in try FieldPredicate(parsing: text) },
            after: after,
            limit: limit
        ).validated()
    }
}
