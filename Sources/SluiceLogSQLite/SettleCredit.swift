/// What the writer owes the settled tier for events appended past the settle threshold: two rows
/// per event, one for its copy and one for its share of emptying its recent table. A settle step moves `stepEvents` rows however few a commit
/// appended, so the rows are saved up until they pay for a whole step; a step after every small
/// commit kept a steady load's appends waiting behind step after step.
struct SettleCredit {
    /// Rows one step moves at least; a step runs once this much is owed.
    let step: Int
    private(set) var owed = 0

    init(step: Int) {
        self.step = max(1, step)
    }

    /// Records a commit of `events` and returns the rows to settle now, or nil when what is owed
    /// does not yet make a step. Below the threshold nothing is owed.
    mutating func afterCommit(of events: Int, pastThreshold: Bool) -> Int? {
        guard pastThreshold else {
            owed = 0
            return nil
        }
        // Capped, so a writer that could not settle for a while does not then settle for long.
        owed = min(owed + 2 * events, 8 * step)
        return owed >= step ? owed : nil
    }

    /// Records rows moved; the step that empties a recent table moves its whole round, and pays ahead.
    mutating func paid(_ rows: Int) {
        owed = max(0, owed - rows)
    }
}
