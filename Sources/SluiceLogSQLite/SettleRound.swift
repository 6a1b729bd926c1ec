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
    /// The (stream id, version) key after which copying continues; nil once every event is copied.
    var copiedAfter: Key? = Key(stream: 0, version: 0)

    /// A key of the recent tier's (stream, version) index.
    struct Key: Sendable, Hashable {
        var stream: Int64
        var version: Int64
    }
}
