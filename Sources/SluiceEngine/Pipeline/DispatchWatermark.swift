/// How far the function dispatcher has finished with its feed: every feed event at or below
/// ``lowWater`` is handled, and every delivery it started has ended acknowledged or given up.
///
/// A delivery that is waiting to retry, or that could not record its outcome, holds its event's
/// position until it ends, so a checkpoint never passes a message the next start must resume.
actor DispatchWatermark {
    /// How many holds each feed position has: one while its event is being handled, one per
    /// delivery it started that has not ended.
    private var holds: [Int64: Int] = [:]
    /// The last feed event whose handling returned.
    private var fedThrough: Int64

    /// A watermark for a feed that starts after `start`.
    init(after start: Int64) {
        fedThrough = start
    }

    func hold(_ position: Int64) {
        holds[position, default: 0] += 1
    }

    func release(_ position: Int64) {
        guard let count = holds[position] else { return }
        holds[position] = count > 1 ? count - 1 : nil
    }

    /// Records that the event at `position` was handled; its deliveries may still be running.
    func fed(_ position: Int64) {
        fedThrough = max(fedThrough, position)
    }

    /// The highest position through which everything is finished.
    var lowWater: Int64 {
        guard let lowest = holds.keys.min() else { return fedThrough }
        return min(fedThrough, lowest - 1)
    }
}
