/// One pass of settling: the writer copies every event of the recent table not taking appends into
/// `events`, a slice at a time in (stream, version) order, then empties that table in one statement.
///
/// Copying in stream order is what keeps replays cheap: the settled tier numbers rows in the order
/// they are copied, so each stream's events of the round land next to each other, and the copies
/// append at the table's right edge. Splitting the round into short transactions keeps the
/// appends queued behind it waiting for one slice, not for the whole round. The split is safe for
/// readers because copies above the settled mark stay invisible until the table is emptied,
/// which moves the mark.
struct SettleRound: Sendable, Hashable {
    /// The recent table the round settles.
    let table: RecentTable
    /// The first position the round settles: the table's oldest event.
    let first: Int64
    /// The last position the round settles: the table's newest event.
    let end: Int64
    /// The round's positions in (stream, version) order, read once when the round starts: the
    /// recent tables' indexes are ordered by position bucket, not by stream (see
    /// `Migrations/0004_recent_by_bucket.sql`).
    let order: [Int64]
    /// How many of `order` are copied.
    var copied = 0

    /// Whether every event of the round is copied, so the table can be emptied.
    var isCopied: Bool { copied >= order.count }

    /// Whether `marks` still show the round's table as the older recent table, holding exactly
    /// the positions `first` through `end`.
    func holdsTheOlderTable(of marks: TierMarks) -> Bool {
        marks.appending == table.other && marks.settled == first - 1 && marks.appendingFrom == end + 1
    }

    /// The positions the next copy step takes: up to `count` after those already copied.
    func nextSlice(_ count: Int) -> ArraySlice<Int64> {
        order[copied..<min(order.count, copied + max(1, count))]
    }
}
