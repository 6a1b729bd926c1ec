/// Byte-exact comparison for names made of user text.
///
/// `String`'s `==`, hashing and `<` follow canonical equivalence: "café" with a precomposed é
/// (NFC) and with e and a combining accent (NFD) are one string to Swift. As names of objects,
/// streams or attributes they are two, to Google (names are byte strings) and to SQLite, which
/// compares bytes. A dictionary or set keyed by such names keys them by ``ExactString``.
public struct ExactString: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let value: String

    public init(_ value: String) { self.value = value }

    public init(stringLiteral value: String) { self.value = value }

    public static func == (lhs: ExactString, rhs: ExactString) -> Bool { lhs.value.isByteEqual(to: rhs.value) }

    public func hash(into hasher: inout Hasher) { value.hashBytes(into: &hasher) }

    public static func < (lhs: ExactString, rhs: ExactString) -> Bool { lhs.value.bytePrecedes(rhs.value) }

    public var description: String { value }
}

extension String {
    /// Whether the two strings are the same UTF-8 bytes (`==` is canonical equivalence).
    @inlinable
    public func isByteEqual(to other: String) -> Bool {
        var lhs = self
        var rhs = other
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                left.count == right.count && left.elementsEqual(right)
            }
        }
    }

    /// Feeds the string's UTF-8 bytes to `hasher`, consistently with ``isByteEqual(to:)``.
    @inlinable
    public func hashBytes(into hasher: inout Hasher) {
        var copy = self
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(utf8.count)
    }

    /// Whether the string sorts before `other` by UTF-8 bytes, which is the order of Unicode
    /// scalar values, and Google's order for object names.
    @inlinable
    public func bytePrecedes(_ other: String) -> Bool { utf8.lexicographicallyPrecedes(other.utf8) }
}
