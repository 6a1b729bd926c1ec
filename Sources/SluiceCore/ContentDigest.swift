/// The SHA-256 of an object's bytes as 64 lowercase hexadecimal digits: the only name under
/// which bytes are stored, so no object name ever reaches the filesystem.
public struct ContentDigest: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The 64 lowercase hexadecimal digits.
    public let hex: String

    /// Accepts exactly 64 lowercase hexadecimal digits.
    public init(hex: String) throws(SluiceError) {
        let bytes = hex.utf8
        guard bytes.count == 64,
            bytes.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else {
            throw SluiceError(.invalidArgument, "a content digest must be 64 lowercase hexadecimal digits")
        }
        self.hex = hex
    }

    /// Creates a digest from the 32 raw bytes of a SHA-256.
    ///
    /// The bytes are copied out once: iterating them here, unspecialized for the caller's type,
    /// allocated on every element.
    public init(sha256 bytes: some Sequence<UInt8>) {
        let raw = Array(bytes)
        precondition(raw.count == 32, "a SHA-256 has 32 bytes")
        hex = String(unsafeUninitializedCapacity: 64) { out in
            for (index, byte) in raw.enumerated() {
                out[2 * index] = Self.hexDigits[Int(byte >> 4)]
                out[2 * index + 1] = Self.hexDigits[Int(byte & 0xF)]
            }
            return 64
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(hex: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    public var description: String { hex }

    public static func < (lhs: ContentDigest, rhs: ContentDigest) -> Bool { lhs.hex < rhs.hex }
}
