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
    ///
    /// The text is built as UTF-8 bytes and made a String once: appending to a String checks its
    /// storage and flags on every piece, which cost more than the bytes themselves for the
    /// many-small-pieces shape of event payloads.
    public func jsonString(layout: JSONLayout = .compact) throws(WorkflowError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try Self.write(self, into: &out, layout: layout, level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether ``jsonString(layout:)`` succeeds: no bytes, no non-finite double, no nesting past
    /// the depth limit. It walks the value without building text, for callers that only choose a
    /// representation.
    public var isJSONEncodable: Bool { Self.isEncodable(self, level: 0) }

    /// What keeps a value from being stored in a variable or a result, or nil: nesting past the
    /// depth a value can be encoded at or more than `maximumBytes` of JSON (estimated), a
    /// ResourceLimitError; a NaN or an infinity, which no JSON can hold, a ValueError (stored, it
    /// would come back as null, and take the list or map holding it with it).
    ///
    /// The walk stops at whichever limit it reaches first, so its cost is bounded by the limits,
    /// not by the value: a value built by wrapping itself in a loop is caught before it is deep
    /// enough for its release (recursive, like every enum's) to overflow the stack, and one built
    /// by doubling (`x: ${[x, x]}`, whose copies share storage) before the walk, or anything else
    /// over it, takes time exponential in the steps.
    package func storageProblem(maximumBytes: Int) -> WorkflowError? {
        var budget = maximumBytes
        switch Self.measure(self, level: 0, budget: &budget) {
        case .fits: return nil
        case .tooDeep:
            return .resourceLimit("a value nested \(JSONReader.maximumDepth) or more levels deep exceeds the limit")
        case .tooLarge: return .resourceLimit("a value of more than \(maximumBytes) bytes exceeds the limit")
        case .notFinite:
            return .valueError("a value holds NaN or an infinity, which JSON cannot: it cannot be stored or returned")
        }
    }

    /// What keeps the value from being held by a workflow (a variable, a result, an effect's
    /// result the engine records), or nil, under the limits every variable has.
    public var holdingProblem: WorkflowError? { storageProblem(maximumBytes: Limits.maximumValueBytes) }

    private enum Measure { case fits, tooDeep, tooLarge, notFinite }

    private static func measure(_ value: WorkflowValue, level: Int, budget: inout Int) -> Measure {
        switch value {
        case .null, .bool, .int: budget -= 8
        case .double(let number):
            guard number.isFinite else { return .notFinite }
            budget -= 8
        case .string(let text): budget -= text.utf8.count + 2
        case .bytes(let bytes): budget -= bytes.count
        case .list(let items):
            guard level + 1 < JSONReader.maximumDepth else { return .tooDeep }
            budget -= 2
            for item in items {
                let inner = measure(item, level: level + 1, budget: &budget)
                guard inner == .fits else { return inner }
                budget -= 1
            }
        case .map(let map):
            guard level + 1 < JSONReader.maximumDepth else { return .tooDeep }
            budget -= 2
            for (key, item) in map {
                budget -= key.utf8.count + 4
                let inner = measure(item, level: level + 1, budget: &budget)
                guard inner == .fits else { return inner }
            }
        }
        return budget >= 0 ? .fits : .tooLarge
    }

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
        _ value: WorkflowValue, into out: inout [UInt8], layout: JSONLayout, level: Int
    ) throws(WorkflowError) {
        guard level < JSONReader.maximumDepth else {
            throw .resourceLimit("value nested deeper than \(JSONReader.maximumDepth) levels cannot be encoded")
        }
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            guard d.isFinite else { throw .valueError("cannot encode a non-finite double as JSON") }
            out.append(contentsOf: formatDouble(d).utf8)
        case .string(let s): JSONText.appendQuoted(s, to: &out)
        case .bytes: throw .valueError("bytes are not JSON encodable")
        case .list(let items):
            out.append(UInt8(ascii: "["))
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                newline(into: &out, layout: layout, level: level + 1)
                try write(item, into: &out, layout: layout, level: level + 1)
            }
            if !items.isEmpty { newline(into: &out, layout: layout, level: level) }
            out.append(UInt8(ascii: "]"))
        case .map(let map):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, item) in map {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                newline(into: &out, layout: layout, level: level + 1)
                JSONText.appendQuoted(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if layout.indent != nil { out.append(UInt8(ascii: " ")) }
                try write(item, into: &out, layout: layout, level: level + 1)
            }
            if !map.isEmpty { newline(into: &out, layout: layout, level: level) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(into out: inout [UInt8], layout: JSONLayout, level: Int) {
        guard let indent = layout.indent else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: layout.prefix.utf8)
        for _ in 0..<level { out.append(contentsOf: indent.utf8) }
    }

    /// Formats a double the way GCP prints it: shortest round-trip form, always with a fraction or exponent.
    static func formatDouble(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e16 {
            return String(Int64(d)) + ".0"
        }
        // `description`, not "\(d)": the same digits without an interpolation buffer.
        return d.description
    }
}
