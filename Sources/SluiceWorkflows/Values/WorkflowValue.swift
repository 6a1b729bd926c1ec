public import OrderedCollections

/// A value of the Workflows language: what variables, arguments, results and errors hold.
public enum WorkflowValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([WorkflowValue])
    case map(OrderedDictionary<String, WorkflowValue>)

    /// The type name GCP uses in messages and `get_type`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "double"
        case .string: "string"
        case .bytes: "bytes"
        case .list: "list"
        case .map: "map"
        }
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The map payload, if this is a map.
    public var mapValue: OrderedDictionary<String, WorkflowValue>? {
        if case .map(let m) = self { return m }
        return nil
    }

    /// The list payload, if this is a list.
    public var listValue: [WorkflowValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    /// A number as a double, if this is an int or a double.
    public var numberValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// Reads a key of a map value; nil for other types or missing keys.
    public subscript(key: String) -> WorkflowValue? {
        if case .map(let m) = self { return m[key] }
        return nil
    }

    /// Builds a map value from key-value pairs, keeping their order.
    public static func object(_ pairs: KeyValuePairs<String, WorkflowValue>) -> WorkflowValue {
        var map = OrderedDictionary<String, WorkflowValue>()
        for (key, value) in pairs { map[key] = value }
        return .map(map)
    }
}

extension WorkflowValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: WorkflowValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, WorkflowValue)...) {
        var map = OrderedDictionary<String, WorkflowValue>()
        for (key, value) in elements { map[key] = value }
        self = .map(map)
    }
}
