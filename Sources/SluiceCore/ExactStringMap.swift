/// Strings keyed by strings that are compared byte by byte, as Google keeps Pub/Sub attributes
/// and Cloud Storage custom metadata.
///
/// A `[String: String]` merges keys that differ only in Unicode normalization ("é" precomposed
/// and "e" with a combining accent, see ``ExactString``); to Google they are two keys, and a
/// message published with both delivers both. Values compare byte by byte too, so a filter for
/// one spelling does not match the other.
///
/// Its `Codable` form, which event payloads store, is a JSON object, except for a map holding
/// two keys that only normalization tells apart: Foundation's JSON coders key objects by
/// `String` and would merge them, so such a map is stored as a list of `[key, value]` pairs
/// instead. Responses write the object either way (``WireForm``, ``appendJSONObject(to:)``).
public struct ExactStringMap: Sendable, Hashable, Codable, ExpressibleByDictionaryLiteral, Sequence {
    private var entries: [ExactString: String]

    /// An empty map.
    public init() { entries = [:] }

    /// The entries of `dictionary`, whose keys are already distinct.
    public init(_ dictionary: [String: String]) {
        entries = Dictionary(minimumCapacity: dictionary.count)
        for (key, value) in dictionary { entries[ExactString(key)] = value }
    }

    /// The pairs in order; a key given twice (byte for byte) keeps its last value.
    public init(pairs: some Sequence<(String, String)>) {
        entries = [:]
        for (key, value) in pairs { entries[ExactString(key)] = value }
    }

    public init(dictionaryLiteral elements: (String, String)...) { self.init(pairs: elements) }

    /// The value of the key spelled with exactly these bytes.
    public subscript(key: String) -> String? {
        get { entries[ExactString(key)] }
        set { entries[ExactString(key)] = newValue }
    }

    /// The number of keys.
    public var count: Int { entries.count }

    /// Whether the map has no keys.
    public var isEmpty: Bool { entries.isEmpty }

    /// The keys, in no particular order.
    public var keys: [String] { entries.keys.map(\.value) }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: String)> {
        entries.lazy.map { (key: $0.key.value, value: $0.value) }.makeIterator()
    }

    /// The entries in the order sorted JSON writes object keys: by `String`'s `<`, and by bytes
    /// between keys that `String` calls equal.
    public var sortedEntries: [(key: String, value: String)] {
        entries.map { (key: $0.key.value, value: $0.value) }.sorted { Self.precedes($0.key, $1.key) }
    }

    /// The JSON object key order: `String`'s, then bytes between canonically equivalent keys.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        if lhs != rhs { return lhs < rhs }
        return lhs.bytePrecedes(rhs)
    }

    /// Whether two keys differ only in normalization, which `[String: String]` would merge.
    public var hasEquivalentKeys: Bool {
        var seen = Set<String>(minimumCapacity: entries.count)
        for key in entries.keys where !seen.insert(key.value).inserted { return true }
        return false
    }

    public static func == (lhs: ExactStringMap, rhs: ExactStringMap) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        return lhs.entries.allSatisfy { key, value in rhs.entries[key]?.isByteEqual(to: value) ?? false }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for (key, value) in sortedEntries {
            key.hashBytes(into: &hasher)
            value.hashBytes(into: &hasher)
        }
    }

    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        entries = [:]
        if let object = try? decoder.container(keyedBy: MemberKey.self) {
            for key in object.allKeys {
                entries[ExactString(key.stringValue)] = try object.decode(String.self, forKey: key)
            }
            return
        }
        var pairs = try decoder.unkeyedContainer()
        while !pairs.isAtEnd {
            let pair = try pairs.decode([String].self)
            guard pair.count == 2 else {
                throw DecodingError.dataCorruptedError(
                    in: pairs, debugDescription: "a string map entry is a [key, value] pair")
            }
            entries[ExactString(pair[0])] = pair[1]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if hasEquivalentKeys {
            var pairs = encoder.unkeyedContainer()
            for (key, value) in sortedEntries { try pairs.encode([key, value]) }
        } else {
            var object = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in entries { try object.encode(value, forKey: MemberKey(stringValue: key.value)) }
        }
    }

    /// Appends the `Codable` form as `SortedJSONEncoder` writes it, for hand-written payload writers.
    package func appendStoredJSON(to out: inout [UInt8]) {
        guard hasEquivalentKeys else { return appendJSONObject(to: &out) }
        out.append(UInt8(ascii: "["))
        for (index, entry) in sortedEntries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            JSONText.appendQuoted(entry.key, to: &out)
            out.append(UInt8(ascii: ","))
            JSONText.appendQuoted(entry.value, to: &out)
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Appends the map as a JSON object with one member per key, sorted, as Google's APIs write
    /// attributes and metadata.
    package func appendJSONObject(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, entry) in sortedEntries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(entry.key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONText.appendQuoted(entry.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The map encoded as a JSON object with one member per key, as responses carry it.
    ///
    /// Only ``SortedJSONEncoder`` keeps keys that differ only in normalization apart; Foundation's
    /// `JSONEncoder` merges them. Decoding reads an object (merging such keys, as Foundation must).
    public struct WireForm: Sendable, Hashable, Codable {
        /// The entries.
        public var map: ExactStringMap

        /// Wraps `map`.
        public init(_ map: ExactStringMap) { self.map = map }

        public init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: MemberKey.self)
            map = ExactStringMap()
            for key in object.allKeys { map[key.stringValue] = try object.decode(String.self, forKey: key) }
        }

        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in map.sortedEntries { try object.encode(value, forKey: MemberKey(stringValue: key)) }
        }
    }
}
