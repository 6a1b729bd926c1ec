import OrderedCollections
import SluiceCore

/// JSON text for values: ints stay ints, map keys keep their order, bytes are not encodable.
extension WorkflowValue {
    /// How `json.encode` lays text out: compact, or indented with a prefix per line.
    public struct JSONLayout: Sendable, Hashable {
        /// Text put at the start of every line after the first.
        public var prefix: String
        /// Text repeated once per nesting level; nil for compact output.
        public var indent: String?

        /// Compact output with no whitespace.
        public static let compact = JSONLayout(prefix: "", indent: nil)

        /// Creates a layout.
        public init(prefix: String, indent: String?) {
            self.prefix = prefix
            self.indent = indent
        }
    }

    /// Encodes the value as JSON text; throws ValueError for bytes and non-finite doubles.
    public func jsonString(layout: JSONLayout = .compact) throws(WorkflowError) -> String {
        var out = ""
        try Self.write(self, into: &out, layout: layout, level: 0)
        return out
    }

    /// Whether ``jsonString(layout:)`` succeeds: no bytes, no non-finite double, no nesting past
    /// the depth limit. It walks the value without building text, for callers that only choose a
    /// representation.
    public var isJSONEncodable: Bool { Self.isEncodable(self, level: 0) }

    private static func isEncodable(_ value: WorkflowValue, level: Int) -> Bool {
        guard level < JSONReader.maximumDepth else { return false }
        switch value {
        case .null, .bool, .int, .string: return true
        case .double(let d): return d.isFinite
        case .bytes: return false
        case .list(let items): return items.allSatisfy { isEncodable($0, level: level + 1) }
        case .map(let map): return map.values.allSatisfy { isEncodable($0, level: level + 1) }
        }
    }

    private static func write(
        _ value: WorkflowValue, into out: inout String, layout: JSONLayout, level: Int
    ) throws(WorkflowError) {
        guard level < JSONReader.maximumDepth else {
            throw .resourceLimit("value nested deeper than \(JSONReader.maximumDepth) levels cannot be encoded")
        }
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            guard d.isFinite else { throw .valueError("cannot encode a non-finite double as JSON") }
            out += formatDouble(d)
        case .string(let s): writeString(s, into: &out)
        case .bytes: throw .valueError("bytes are not JSON encodable")
        case .list(let items):
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                newline(into: &out, layout: layout, level: level + 1)
                try write(item, into: &out, layout: layout, level: level + 1)
            }
            if !items.isEmpty { newline(into: &out, layout: layout, level: level) }
            out += "]"
        case .map(let map):
            out += "{"
            var first = true
            for (key, item) in map {
                if !first { out += "," }
                first = false
                newline(into: &out, layout: layout, level: level + 1)
                writeString(key, into: &out)
                out += layout.indent == nil ? ":" : ": "
                try write(item, into: &out, layout: layout, level: level + 1)
            }
            if !map.isEmpty { newline(into: &out, layout: layout, level: level) }
            out += "}"
        }
    }

    private static func newline(into out: inout String, layout: JSONLayout, level: Int) {
        guard let indent = layout.indent else { return }
        out += "\n" + layout.prefix
        for _ in 0..<level { out += indent }
    }

    /// Formats a double the way GCP prints it: shortest round-trip form, always with a fraction or exponent.
    static func formatDouble(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e16 {
            return String(Int64(d)) + ".0"
        }
        return "\(d)"
    }

    static func writeString(_ s: String, into out: inout String) {
        JSONText.appendQuoted(s, to: &out)
    }
}
