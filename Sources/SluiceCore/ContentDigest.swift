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
    public init(sha256 bytes: some Sequence<UInt8>) {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        precondition(out.count == 64, "a SHA-256 has 32 bytes")
        hex = String(decoding: out, as: UTF8.self)
    }

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
