public import SluiceCore

/// A read model of how many events of each type the log holds and where they start and end,
/// for audit overviews and metrics. Updated once per type per batch, so it costs the append
/// path almost nothing.
public struct EventTypeStatsProjection: Projection {
    public let name = "event_type_stats"
    public let schemaVersion = 1
    public let tables = ["event_type_stats"]

    /// Creates the projection.
    public init() {}

    public func createTables(in database: any ProjectionDatabase) throws(SluiceError) {
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS event_type_stats (
                type TEXT PRIMARY KEY,
                event_count INTEGER NOT NULL,
                first_position INTEGER NOT NULL,
                last_position INTEGER NOT NULL,
                last_recorded_at INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            []
        )
    }

    public func apply(_ events: [RecordedEvent], in database: any ProjectionDatabase) throws(SluiceError) {
        var summaries: [String: (count: Int64, first: Int64, last: Int64, time: Int64)] = [:]
        for event in events {
            if var summary = summaries[event.type] {
                summary.count += 1
                summary.last = event.position
                summary.time = event.timestamp
                summaries[event.type] = summary
            } else {
                summaries[event.type] = (1, event.position, event.position, event.timestamp)
            }
        }
        for (type, summary) in summaries {
            try database.execute(
                """
                INSERT INTO event_type_stats (type, event_count, first_position, last_position, last_recorded_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (type) DO UPDATE SET event_count = event_count + excluded.event_count,
                    last_position = excluded.last_position, last_recorded_at = excluded.last_recorded_at
                """,
                [
                    .text(type), .integer(summary.count), .integer(summary.first), .integer(summary.last),
                    .integer(summary.time),
                ]
            )
        }
    }
}
