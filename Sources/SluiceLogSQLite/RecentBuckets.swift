/// How reads find one stream's events in the recent tier: through `events_recent_by_bucket`, one
/// probe per position bucket the tier spans (see `Migrations/0004_recent_by_bucket.sql`).
enum RecentBuckets {
    /// Bits of a position below its bucket: 4,096 positions a bucket, as the index says.
    static let shift = 12

    /// The bucket of a recent event, spelled as the index spells it so SQLite matches the two.
    static let bucket = "(events_recent.position >> \(shift))"

    /// Names `recent_buckets(bucket)`: every bucket from the oldest recent event's to the newest's,
    /// none when the tier is empty. Both ends are one seek on the table's rowid.
    static let with = """
        WITH RECURSIVE recent_buckets(bucket) AS (
            SELECT (SELECT min(position) FROM events_recent) >> \(shift)
            UNION ALL
            SELECT bucket + 1 FROM recent_buckets WHERE bucket < (SELECT max(position) FROM events_recent) >> \(shift)
        )

        """

    /// The condition that lets a stream read probe each bucket; pair it with ``with``.
    static let condition = "\(bucket) IN recent_buckets"

    /// The ORDER BY terms that read a stream's recent events in version order straight off the
    /// index (`direction` is empty or " DESC"): within one stream, later buckets hold later versions.
    static func order(_ direction: String = "") -> String {
        "\(bucket)\(direction), events_recent.version\(direction)"
    }

    /// A stream's recent events from a version on: stream id, first version, limit.
    static let streamRead =
        with + """
            SELECT \(EventRows.columns) FROM events_recent WHERE \(condition) AND stream_id = ? AND version >= ?
            ORDER BY \(order()) LIMIT ?
            """

    /// A stream's newest recent version, newest bucket first so the first row found is the
    /// answer: stream id.
    static let newestVersion =
        with + """
            SELECT version FROM events_recent WHERE \(condition) AND stream_id = ?
            ORDER BY \(order(" DESC")) LIMIT 1
            """
}
