/// A globally unique event identifier: a UUID version 7, so identifiers sort by creation time
/// and index inserts stay at the right edge of a B-tree.
public struct EventID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The sixteen bytes of the UUID, most significant first.
    public let high: UInt64
    /// The low eight bytes of the UUID.
    public let low: UInt64

    /// Creates an identifier from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates a UUIDv7 from a Unix time in milliseconds and random bits.
    public init<R: RandomNumberGenerator>(unixMilliseconds: Int64, using generator: inout R) {
        let millis = UInt64(truncatingIfNeeded: max(0, unixMilliseconds)) & 0xFFFF_FFFF_FFFF
        let randA = generator.next() & 0x0FFF
        high = (millis << 16) | (0x7 << 12) | randA
        low = (generator.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
    }

    /// Parses the canonical 8-4-4-4-12 hexadecimal form.
    public init?(_ text: String) {
        let hex = text.utf8.filter { $0 != UInt8(ascii: "-") }
        guard text.utf8.count == 36, hex.count == 32 else { return nil }
        var value: (UInt64, UInt64) = (0, 0)
        for (index, byte) in hex.enumerated() {
            guard let nibble = Self.nibble(byte) else { return nil }
            if index < 16 {
                value.0 = value.0 << 4 | UInt64(nibble)
            } else {
                value.1 = value.1 << 4 | UInt64(nibble)
            }
        }
        high = value.0
        low = value.1
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The canonical lowercase 8-4-4-4-12 form.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for index in 0..<32 {
            if index == 8 || index == 12 || index == 16 || index == 20 { out.append(UInt8(ascii: "-")) }
            let word = index < 16 ? high : low
            let shift = UInt64(60 - (index % 16) * 4)
            out.append(digits[Int((word >> shift) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func < (lhs: EventID, rhs: EventID) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = EventID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a UUID"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
