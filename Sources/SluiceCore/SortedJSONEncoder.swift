internal import Foundation

/// Encodes `Encodable` values as compact JSON with object keys sorted, as the log stores event
/// payloads, several times faster than Foundation's `JSONEncoder` with `.sortedKeys`.
///
/// `JSONEncoder` boxes every value in a tree of references, tracks the coding path of each, and
/// finds the types it treats specially with dynamic casts; for an object event of the pipeline
/// that cost about 20 µs, and every upload writes several. Here scalars are written as text the
/// moment they are encoded, special types are found by comparing metatypes, and only containers
/// allocate.
///
/// Output is the JSON `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]` and
/// default strategies (`Data` as base64, `URL` as its absolute string, `Date` as seconds since
/// 2001); the tests hold the two to the same bytes. Non-finite numbers throw, as they do there.
/// The coding path is not tracked: encoders see an empty one.
package enum SortedJSONEncoder {
    /// The JSON text of `value`.
    package static func encode<T: Encodable>(_ value: T) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1_024)
        try Writer.value(value).render(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` as JSON when it is a scalar this encoder writes itself, else nil.
    fileprivate static func scalar<T: Encodable>(_ value: T) throws -> Value? {
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        let text: String
        if let numeral = try numeral(value) {
            text = numeral
        }
        // Foundation's encoder writes these two as strings instead of as their own encode(to:) would.
        else if T.self == Data.self {
            return .string((value as? Data)?.base64EncodedString() ?? "")
        } else if T.self == URL.self {
            return .string((value as? URL)?.absoluteString ?? "")
        } else {
            return nil
        }
        return .raw(text)
    }

    /// `value` as JSON when it is a Boolean or a number of a standard type, else nil.
    private static func numeral<T: Encodable>(_ value: T) throws -> String? {
        if T.self == Int64.self { return String(unsafeBitCast(value, to: Int64.self)) }
        if T.self == Int.self { return String(unsafeBitCast(value, to: Int.self)) }
        if T.self == Bool.self { return unsafeBitCast(value, to: Bool.self) ? "true" : "false" }
        if T.self == Double.self { return try number(unsafeBitCast(value, to: Double.self)) }
        if T.self == UInt8.self { return String(unsafeBitCast(value, to: UInt8.self)) }
        if T.self == Int32.self { return String(unsafeBitCast(value, to: Int32.self)) }
        if T.self == UInt64.self { return String(unsafeBitCast(value, to: UInt64.self)) }
        if T.self == UInt32.self { return String(unsafeBitCast(value, to: UInt32.self)) }
        if T.self == Int16.self { return String(unsafeBitCast(value, to: Int16.self)) }
        if T.self == UInt16.self { return String(unsafeBitCast(value, to: UInt16.self)) }
        if T.self == Int8.self { return String(unsafeBitCast(value, to: Int8.self)) }
        if T.self == UInt.self { return String(unsafeBitCast(value, to: UInt.self)) }
        if T.self == Float.self {
            let number = unsafeBitCast(value, to: Float.self)
            return number.isFinite && number != number.rounded() ? "\(number)" : try self.number(Double(number))
        }
        return nil
    }

    /// A finite number as JSON: integral values without a fraction, others in the shortest form
    /// that reads back exactly.
    static func number(_ value: Double) throws -> String {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "JSON has no \(value)"))
        }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// One encoded value: JSON text, a string to quote, or a container filled as encoding goes on.
    fileprivate enum Value {
        case raw(String)
        case string(String)
        case container(Container)

        static var null: Value { .raw("null") }

        func render(into out: inout [UInt8]) {
            switch self {
            case .raw(let text): out.append(contentsOf: text.utf8)
            case .string(let text): JSONText.appendQuoted(text, to: &out)
            case .container(let container): container.render(into: &out)
            }
        }
    }

    /// An object or an array under construction; a value that asks for no container is `null`.
    fileprivate final class Container {
        enum Kind { case undecided, object, array, single }
        var kind = Kind.undecided
        /// Object members in the order encoded; sorted (last write of a key wins) when rendered.
        var members: [(key: String, value: Value)] = []
        var items: [Value] = []
        var single: Value?

        func render(into out: inout [UInt8]) {
            switch kind {
            case .undecided:
                Value.null.render(into: &out)
            case .single:
                (single ?? .null).render(into: &out)
            case .array:
                out.append(UInt8(ascii: "["))
                for (index, item) in items.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    item.render(into: &out)
                }
                out.append(UInt8(ascii: "]"))
            case .object:
                out.append(UInt8(ascii: "{"))
                var previous: String?
                for (offset, member) in sortedMembers().enumerated() {
                    if let previous, member.key == previous, member.key.isByteEqual(to: previous) { continue }
                    previous = member.key
                    if offset > 0 { out.append(UInt8(ascii: ",")) }
                    JSONText.appendQuoted(member.key, to: &out)
                    out.append(UInt8(ascii: ":"))
                    member.value.render(into: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }

        /// Members by key, the last one encoded first among equal keys. Keys are equal when their
        /// bytes are: two that differ only in normalization (``ExactStringMap/WireForm``) are two
        /// members, in byte order.
        private func sortedMembers() -> [(key: String, value: Value)] {
            members.enumerated()
                .sorted { lhs, rhs in
                    let (left, right) = (lhs.element.key, rhs.element.key)
                    if left != right { return left < right }
                    if !left.isByteEqual(to: right) { return left.bytePrecedes(right) }
                    return lhs.offset > rhs.offset
                }
                .map(\.element)
        }
    }

    /// The `Encoder` a value's `encode(to:)` sees; it fills one container.
    fileprivate struct Writer: Encoder {
        let container: Container
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            container.kind = .object
            return KeyedEncodingContainer(KeyedWriter<Key>(container: container))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            container.kind = .array
            return UnkeyedWriter(container: container)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            container.kind = .single
            return SingleWriter(container: container)
        }

        /// `value` encoded: its text when it is a scalar, else a container it fills.
        static func value<T: Encodable>(_ value: T) throws -> Value {
            if let scalar = try scalar(value) { return scalar }
            let nested = Container()
            try value.encode(to: Writer(container: nested))
            // A wrapper that encodes one scalar through a single-value container is that scalar.
            if nested.kind == .single { return nested.single ?? .null }
            return .container(nested)
        }
    }

    fileprivate struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let container: Container
        var codingPath: [any CodingKey] { [] }

        private func put(_ value: Value, _ key: Key) { container.members.append((key.stringValue, value)) }

        mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(.raw(String(value)), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(.raw(String(value)), key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(.raw(value ? "true" : "false"), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(.raw(try number(value)), key) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            put(try Writer.value(value), key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let nested = Container()
            put(.container(nested), key)
            return Writer(container: nested).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = Container()
            put(.container(nested), key)
            return Writer(container: nested).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let nested = Container()
            container.members.append(("super", .container(nested)))
            return Writer(container: nested)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let nested = Container()
            put(.container(nested), key)
            return Writer(container: nested)
        }
    }

    fileprivate struct UnkeyedWriter: UnkeyedEncodingContainer {
        let container: Container
        var codingPath: [any CodingKey] { [] }
        var count: Int { container.items.count }

        mutating func encodeNil() throws { container.items.append(.null) }
        mutating func encode(_ value: String) throws { container.items.append(.string(value)) }
        mutating func encode(_ value: Double) throws { container.items.append(.raw(try number(value))) }
        mutating func encode(_ value: Int64) throws { container.items.append(.raw(String(value))) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            container.items.append(try Writer.value(value))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            let nested = Container()
            container.items.append(.container(nested))
            return Writer(container: nested).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = Container()
            container.items.append(.container(nested))
            return Writer(container: nested).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let nested = Container()
            container.items.append(.container(nested))
            return Writer(container: nested)
        }
    }

    fileprivate struct SingleWriter: SingleValueEncodingContainer {
        let container: Container
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { container.single = .null }
        mutating func encode(_ value: String) throws { container.single = .string(value) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            container.single = try Writer.value(value)
        }
    }
}
