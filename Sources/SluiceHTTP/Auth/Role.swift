/// What a bearer token may do. Each role includes every role below it:
/// viewer < invoker < editor < admin.
public enum Role: String, Sendable, CaseIterable, Comparable, Codable {
    /// Reads: GET and list routes, event queries, metrics.
    case viewer
    /// Also starts and cancels executions and calls `:predict`.
    case invoker
    /// Also creates, updates and deletes workflows.
    case editor
    /// Everything.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .invoker: 1
        case .editor: 2
        case .admin: 3
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
