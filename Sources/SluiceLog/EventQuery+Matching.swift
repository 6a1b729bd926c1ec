import Foundation
public import SluiceCore

extension EventQuery {
    /// Whether an event satisfies every filter; the in-memory log's query and a test oracle.
    public func matches(_ event: RecordedEvent) -> Bool {
        if event.position <= after { return false }
        if let stream, event.stream != stream { return false }
        if let streamPrefix, !event.stream.rawValue.hasPrefix(streamPrefix) { return false }
        if !types.isEmpty, !types.contains(event.type) { return false }
        if let since, event.timestamp < since { return false }
        if let until, event.timestamp >= until { return false }
        if let correlationID, event.metadata.correlationID != correlationID { return false }
        return predicates.allSatisfy { $0.matches(event) }
    }
}

extension FieldPredicate {
    /// Evaluates the predicate like SQL does: a missing field or a type mismatch is false.
    public func matches(_ event: RecordedEvent) -> Bool {
        guard let actual = fieldValue(in: event) else {
            return comparison == .equal && value == .null
        }
        switch (actual, value) {
        case (.null, .null): return comparison == .equal
        case (_, .null), (.null, _): return comparison == .notEqual && value == .null
        case (.string(let lhs), .string(let rhs)): return compare(lhs, rhs)
        case (.bool(let lhs), .bool(let rhs)): return compare(lhs ? 1 : 0, rhs ? 1 : 0)
        default:
            guard let lhs = actual.number, let rhs = value.number else { return comparison == .notEqual }
            return compare(lhs, rhs)
        }
    }

    private func compare<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool {
        switch comparison {
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        }
    }

    private func fieldValue(in event: RecordedEvent) -> Value? {
        if root == .metadata, path.count == 1 {
            switch path[0] {
            case "correlationId": return event.metadata.correlationID.map(Value.string)
            case "causationId": return event.metadata.causationID.map(Value.string)
            case "principal": return event.metadata.principal.map(Value.string)
            default: return event.metadata.extra[path[0]].map(Value.string)
            }
        }
        guard root == .data, let data = event.data.data(using: .utf8),
            var node = try? JSONDecoder().decode(JSONNode.self, from: data)
        else { return nil }
        for key in path {
            guard case .object(let object) = node, let child = object[key] else { return nil }
            node = child
        }
        switch node {
        case .null: return .null
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .integer(let number): return .integer(number)
        case .double(let number): return .double(number)
        case .array, .object: return nil
        }
    }
}

/// A decoded JSON document, just enough to walk a field path.
private enum JSONNode: Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let list = try? container.decode([JSONNode].self) {
            self = .array(list)
        } else {
            self = .object(try container.decode([String: JSONNode].self))
        }
    }
}

extension FieldPredicate.Value {
    /// The value as a number, when it is one.
    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
