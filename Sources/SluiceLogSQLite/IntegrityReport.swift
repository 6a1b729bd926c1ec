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

    mutating func add(_ problem: String) {
        if problems.count < Self.problemLimit {
            problems.append(problem)
        } else {
            problemsTruncated = true
        }
    }
}
