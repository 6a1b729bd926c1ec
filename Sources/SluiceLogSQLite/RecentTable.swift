import SluiceCore

/// The two tables of the recent tier, which take turns taking appends (see
/// `Migrations/0005_recent_pair.sql`).
enum RecentTable: String, CaseIterable, Sendable, Hashable {
    case a = "events_recent_a"
    case b = "events_recent_b"

    /// The table's name in SQL.
    var name: String { rawValue }

    /// The table that takes turns with this one.
    var other: RecentTable { self == .a ? .b : .a }

    /// How reads find one stream's events in this table.
    var buckets: RecentBuckets { self == .a ? RecentBuckets.a : RecentBuckets.b }
}

/// Where one snapshot of the log draws the line between its tiers.
struct TierMarks: Sendable, Hashable {
    /// The highest settled position: every event up to it is in `events`, every later one in a
    /// recent table.
    var settled: Int64
    /// The recent tables, the one holding older positions first.
    var recent: [RecentTable]
    /// The table taking appends: the one holding the newest recent event, `a` when both are empty.
    var appending: RecentTable
    /// The first position of the table taking appends; one past the head when it is empty.
    var appendingFrom: Int64

    /// The recent tables a read must look in, older first: the older only while it holds events,
    /// which is about half the time (between a round's end and the next round's start it is
    /// empty), so most reads skip its probes.
    var occupied: [RecentTable] { settled < appendingFrom - 1 ? recent : [appending] }

    /// Reads the marks: three seeks, each at one end of a rowid b-tree.
    static func read(_ connection: SQLiteConnection) throws(SluiceError) -> TierMarks {
        let select = try connection.statement(
            """
            SELECT (SELECT min(position) FROM events_recent_a), (SELECT min(position) FROM events_recent_b),
                (SELECT max(position) FROM event_positions)
            """
        )
        defer { select.reset() }
        _ = try select.step()
        return TierMarks(
            aFirst: select.isNull(0) ? nil : select.int64(0), bFirst: select.isNull(1) ? nil : select.int64(1),
            head: select.int64(2))
    }

    /// The marks of a log whose recent tables start at `aFirst` and `bFirst` (nil: empty), its
    /// head at `head`. Each table holds one run of positions, so the newer starts later.
    init(aFirst: Int64?, bFirst: Int64?, head: Int64) {
        let bIsNewer = (bFirst ?? .min) > (aFirst ?? .min)
        appending = bIsNewer ? .b : .a
        recent = bIsNewer ? [.a, .b] : [.b, .a]
        settled = ([aFirst, bFirst].compactMap { $0 }.min() ?? head + 1) - 1
        appendingFrom = (bIsNewer ? bFirst : aFirst) ?? head + 1
    }

    /// Turns appends to the other table, which must be empty: the next append is `head + 1`.
    mutating func turn(head: Int64) {
        recent = [appending, appending.other]
        appending = appending.other
        appendingFrom = head + 1
    }
}
