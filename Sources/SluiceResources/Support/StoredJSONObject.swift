import OrderedCollections
import SluiceCore
import SluiceWorkflows

/// One JSON object of a stored payload, read member by member by a hand-written decoder.
///
/// Foundation's `JSONDecoder` took about 60 µs for an `object.finalized` payload, and the hot
/// payloads are read far more often than they are written: each upload's object by the workflow
/// that reads it, each published message by the function it triggers. ``DecodedPayloads`` spares
/// most of those decodes, but not a burst longer than its memo. A decoder built on this reader
/// takes the members it knows and gives up (``Mismatch``) on anything else, a missing member, a
/// wrong type or one left over, so ``EventCoding`` falls back to `JSONDecoder` for any shape
/// it did not expect, and a fast decode never means something the generic one would not.
struct StoredJSONObject {
    /// The text is not the shape the hand-written decoder expects.
    struct Mismatch: Error {}

    private let members: OrderedDictionary<String, WorkflowValue>
    private var taken = 0

    /// Parses `text`, which must be one JSON object.
    init(parsing text: String) throws(Mismatch) {
        guard case .map(let members) = try? JSONReader.parse(text) else { throw Mismatch() }
        self.members = members
    }

    /// Reads a member value that must itself be an object (`object` in `object.finalized`).
    init(member value: WorkflowValue) throws(Mismatch) {
        guard case .map(let members) = value else { throw Mismatch() }
        self.members = members
    }

    /// The member `key`, which must be there.
    mutating func value(_ key: String) throws(Mismatch) -> WorkflowValue {
        guard let value = optionalValue(key) else { throw Mismatch() }
        return value
    }

    /// The member `key`, or nil when the object has none.
    mutating func optionalValue(_ key: String) -> WorkflowValue? {
        guard let value = members[key] else { return nil }
        taken += 1
        return value
    }

    mutating func string(_ key: String) throws(Mismatch) -> String {
        try Self.string(try value(key))
    }

    mutating func optionalString(_ key: String) throws(Mismatch) -> String? {
        try optionalValue(key).map { (value) throws(Mismatch) in try Self.string(value) }
    }

    mutating func integer(_ key: String) throws(Mismatch) -> Int64 {
        try Self.integer(try value(key))
    }

    mutating func optionalInteger(_ key: String) throws(Mismatch) -> Int64? {
        try optionalValue(key).map { (value) throws(Mismatch) in try Self.integer(value) }
    }

    /// An object member whose values are all strings (attributes, custom metadata). The list of
    /// pairs that ``ExactStringMap`` stores for keys differing only in normalization is a
    /// mismatch: the map the reader builds would merge them.
    mutating func optionalStringMap(_ key: String) throws(Mismatch) -> ExactStringMap? {
        guard let value = optionalValue(key) else { return nil }
        guard case .map(let entries) = value else { throw Mismatch() }
        var map = ExactStringMap()
        for (name, entry) in entries { map[name] = try Self.string(entry) }
        return map
    }

    /// Checks that every member was taken: a member the decoder does not know means a shape it
    /// was not written for.
    func finish() throws(Mismatch) {
        guard taken == members.count else { throw Mismatch() }
    }

    private static func string(_ value: WorkflowValue) throws(Mismatch) -> String {
        guard case .string(let text) = value else { throw Mismatch() }
        return text
    }

    private static func integer(_ value: WorkflowValue) throws(Mismatch) -> Int64 {
        guard case .int(let number) = value else { throw Mismatch() }
        return number
    }
}
