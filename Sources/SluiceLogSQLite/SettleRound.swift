/// One pass of settling: the writer copies every recent event up to `end` into `events`, a slice
/// at a time in (stream, version) order, then deletes that position prefix from `events_recent`,
/// a slice at a time in position order.
///
/// Copying in stream order is what keeps replays cheap: the settled tier numbers rows in the order
/// they are copied, so each stream's events of the round land next to each other, and the copies
/// append at the table's right edge. Splitting the round into short transactions keeps the
/// appends queued behind it waiting for one slice, not for the whole round. The split is safe for
/// readers because copies above the settled mark stay invisible until the delete moves the mark.
struct SettleRound: Sendable, Hashable {
    /// The last position the round settles.
    let end: Int64
    /// The round's positions in (stream, version) order, read once when the round starts: the
    /// recent tier's index is ordered by position bucket, not by stream (see
    /// `Migrations/0004_recent_by_bucket.sql`).
    let order: [Int64]
    /// How many of `order` are copied.
    var copied = 0

    /// Whether every event of the round is copied, so its delete steps come next.
    var isCopied: Bool { copied >= order.count }

    /// The positions the next copy step takes: up to `count` after those already copied.
    func nextSlice(_ count: Int) -> ArraySlice<Int64> {
        order[copied..<min(order.count, copied + max(1, count))]
    }
}
