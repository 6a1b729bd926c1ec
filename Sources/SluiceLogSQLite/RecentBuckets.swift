/// How reads find one stream's events in a recent table: through its bucket index, one probe per
/// position bucket the table spans (see `Migrations/0004_recent_by_bucket.sql` and
/// `0005_recent_pair.sql`).
struct RecentBuckets: Sendable {
    /// Bits of a position below its bucket: 4,096 positions a bucket, as the indexes say.
    static let shift = 12

    static let a = RecentBuckets(.a)
    static let b = RecentBuckets(.b)

    /// The table read.
    let table: RecentTable

    /// The bucket of a recent event, spelled as the index spells it so SQLite matches the two.
    let bucket: String

    /// Names `recent_buckets(bucket)`: every bucket from the table's oldest event's to its newest's,
    /// none when the table is empty. Both ends are one seek on the table's rowid.
    let with: String

    /// The condition that lets a stream read probe each bucket; pair it with ``with``.
    let condition: String

    /// A stream's recent events from a version on: stream id, first version, limit.
    let streamRead: String

    /// A stream's newest version in the table, newest bucket first so the first row found is the
    /// answer: stream id.
    let newestVersion: String

    private init(_ table: RecentTable) {
        self.table = table
        let name = table.name
        let shift = Self.shift
        bucket = "(\(name).position >> \(shift))"
        with = """
            WITH RECURSIVE recent_buckets(bucket) AS (
                SELECT (SELECT min(position) FROM \(name)) >> \(shift)
                UNION ALL
                SELECT bucket + 1 FROM recent_buckets WHERE bucket < (SELECT max(position) FROM \(name)) >> \(shift)
            )

            """
        condition = "\(bucket) IN recent_buckets"
        streamRead =
            with + """
                SELECT \(EventRows.columns) FROM \(name) WHERE \(condition) AND stream_id = ? AND version >= ?
                ORDER BY \(bucket), \(name).version LIMIT ?
                """
        newestVersion =
            with + """
                SELECT version FROM \(name) WHERE \(condition) AND stream_id = ?
                ORDER BY \(bucket) DESC, \(name).version DESC LIMIT 1
                """
    }

    /// The ORDER BY terms that read a stream's events in version order straight off the index
    /// (`direction` is empty or " DESC"): within one stream, later buckets hold later versions.
    func order(_ direction: String = "") -> String {
        "\(bucket)\(direction), \(table.name).version\(direction)"
    }
}
