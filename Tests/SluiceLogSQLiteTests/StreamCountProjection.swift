import SluiceCore
import SluiceLog

/// A test projection: events per stream, plus the last type, with a switch to fail on demand.
struct StreamCountProjection: Projection {
    let name = "test_stream_counts"
    var schemaVersion = 1
    let tables = ["test_stream_counts"]
    var failOnType: String?

    func createTables(in database: any ProjectionDatabase) throws(SluiceError) {
        try database.execute(
            "CREATE TABLE IF NOT EXISTS test_stream_counts (stream TEXT PRIMARY KEY, events INTEGER, last_type TEXT)",
            []
        )
    }

    func apply(_ events: [RecordedEvent], in database: any ProjectionDatabase) throws(SluiceError) {
        for event in events {
            if event.type == failOnType { throw SluiceError(.failedPrecondition, "projection refused \(event.type)") }
            try database.execute(
                """
                INSERT INTO test_stream_counts (stream, events, last_type) VALUES (?, 1, ?)
                ON CONFLICT (stream) DO UPDATE SET events = events + 1, last_type = excluded.last_type
                """,
                [.text(event.stream.rawValue), .text(event.type)]
            )
        }
    }
}
