import SluiceCore

/// What `verify` found: the counts it checked and every problem, described for a person.
public struct IntegrityReport: Sendable, Hashable {
    /// Events read.
    public var eventsChecked: Int64 = 0
    /// Distinct streams seen.
    public var streamsChecked: Int = 0
    /// Problems found; empty when the log is intact.
    public var problems: [String] = []
    /// True when more problems existed than were listed.
    public var problemsTruncated = false

    /// The most problems listed before the report stops collecting them.
    public static let problemLimit = 50

    /// Whether the log passed every check.
    public var isIntact: Bool { problems.isEmpty }

    /// A report of `eventsChecked` events in `streamsChecked` streams with `problems` found.
    public init(
        eventsChecked: Int64 = 0, streamsChecked: Int = 0, problems: [String] = [], problemsTruncated: Bool = false
    ) {
        self.eventsChecked = eventsChecked
        self.streamsChecked = streamsChecked
        self.problems = problems
        self.problemsTruncated = problemsTruncated
    }

    /// Records a problem, up to `problemLimit` of them.
    public mutating func add(_ problem: String) {
        if problems.count < Self.problemLimit {
            problems.append(problem)
        } else {
            problemsTruncated = true
        }
    }
}
