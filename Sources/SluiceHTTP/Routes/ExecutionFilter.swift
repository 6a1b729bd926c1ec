import SluiceEngine

/// The `filter` of an Executions list: the AIP-160 subset Google documents for it. Restrictions
/// on `executionId`, `state`, `startTime`, `createTime`, `endTime`, `duration` and
/// `workflowRevisionId` with `=`, `!=`, `<`, `<=`, `>`, `>=` (and `:` as `=`), and on
/// `labels.KEY` with `=`, `!=`, `:` (and `:*`, the key is set), joined by `AND` (or a space),
/// `OR` and `NOT`, in parentheses if need be. As in AIP-160, `OR` binds tighter than `AND`.
/// `stepName` is not supported (INVALID_ARGUMENT).
///
/// A filter is parsed whole before anything is listed, so one this server cannot read is
/// INVALID_ARGUMENT rather than a list that silently ignores it: a client that lists FAILED
/// executions to retry them must never be handed the SUCCEEDED ones.
indirect enum ExecutionFilter: Sendable, Equatable {
    case all([ExecutionFilter])
    case any([ExecutionFilter])
    case not(ExecutionFilter)
    case restriction(Field, Comparison, Operand)
    /// `labels.KEY` compared with a value, or, without one (`labels.KEY:*`), present.
    case label(String, Comparison, String?)

    /// The fields a restriction may name.
    enum Field: String, Sendable, Equatable {
        case executionId, state, startTime, createTime, endTime, duration, workflowRevisionId
    }

    /// The comparison of a restriction; `:` (has) reads as equality on these scalar fields.
    enum Comparison: String, Sendable, Equatable, CaseIterable {
        case lessOrEqual = "<=", greaterOrEqual = ">=", notEqual = "!=", less = "<", greater = ">", equal = "=",
            has = ":"
    }

    /// What a restriction compares with, checked against its field when parsed.
    enum Operand: Sendable, Equatable {
        case text(String)
        case time(Int64)
        /// Microseconds.
        case duration(Int64)
    }

    /// The states an execution can be in, as the API spells them.
    static let states: Set<String> = [
        "STATE_UNSPECIFIED", "QUEUED", "ACTIVE", "SUCCEEDED", "FAILED", "CANCELLED", "UNAVAILABLE",
    ]

    /// Parses `text`; nil for an empty filter, which matches everything.
    static func parse(_ text: String?) throws(GoogleErrorResponse) -> ExecutionFilter? {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return nil }
        var parser = Parser(text: Array(text))
        let filter = try parser.expression()
        guard parser.atEnd() else { throw parser.error("unexpected '\(parser.rest)'") }
        return filter
    }

    /// Whether `execution` passes the filter. A time restriction on an end time that an active
    /// execution does not have yet is false, as a comparison with an unset field is in AIP-160.
    func matches(_ execution: ExecutionListing) -> Bool {
        switch self {
        case .all(let parts): return parts.allSatisfy { $0.matches(execution) }
        case .any(let parts): return parts.contains { $0.matches(execution) }
        case .not(let part): return !part.matches(execution)
        case .label(let key, let comparison, let value):
            guard let value else { return execution.labels[key] != nil }
            guard let label = execution.labels[key] else { return comparison == .notEqual }
            return Self.compare(label, comparison, value)
        case .restriction(let field, let comparison, let operand):
            switch (field, operand) {
            case (.state, .text(let value)): return Self.compare(execution.state, comparison, value)
            case (.executionId, .text(let value)): return Self.compare(execution.id.rawValue, comparison, value)
            case (.workflowRevisionId, .text(let value)):
                return Self.compare(execution.workflowRevisionID, comparison, value)
            case (.startTime, .time(let value)), (.createTime, .time(let value)):
                return Self.compare(execution.startTime, comparison, value)
            case (.endTime, .time(let value)):
                guard let endTime = execution.endTime else { return false }
                return Self.compare(endTime, comparison, value)
            case (.duration, .duration(let value)):
                return Self.compare(execution.duration, comparison, value)
            default:
                preconditionFailure("the parser pairs every field with its kind of operand")
            }
        }
    }

    private static func compare<T: Comparable>(_ left: T, _ comparison: Comparison, _ right: T) -> Bool {
        switch comparison {
        case .equal, .has: left == right
        case .notEqual: left != right
        case .less: left < right
        case .lessOrEqual: left <= right
        case .greater: left > right
        case .greaterOrEqual: left >= right
        }
    }
}
