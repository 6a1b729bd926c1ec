public import SluiceCore

/// A Cloud Storage bucket name, validated by the rules of
/// https://cloud.google.com/storage/docs/buckets#naming .
///
/// Lowercase letters, digits, `-`, `_` and `.`; starts and ends with a letter or digit;
/// 3-63 characters, or up to 222 when dotted with every dot-separated component at most 63;
/// not an IPv4 address in dotted-decimal form; not starting with `goog`; not containing
/// `google` or a close misspelling of it.
public struct BucketName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The name as written.
    public let rawValue: String

    /// Validates a bucket name.
    public init(_ rawValue: String) throws(SluiceError) {
        try Self.validate(rawValue)
        self.rawValue = rawValue
    }

    /// Why a name is not a valid bucket name; `nil` when it is.
    public static func problem(with name: String) -> String? {
        do {
            try validate(name)
            return nil
        } catch {
            return error.message
        }
    }

    private static func validate(_ name: String) throws(SluiceError) {
        let bytes = Array(name.utf8)
        let dotted = bytes.contains(UInt8(ascii: "."))
        func fail(_ why: String) -> SluiceError { SluiceError(.invalidArgument, "invalid bucket name: \(why)") }
        guard bytes.count >= 3 else { throw fail("a bucket name has at least 3 characters") }
        guard bytes.count <= (dotted ? 222 : 63) else {
            throw fail(
                dotted ? "a dotted bucket name has at most 222 characters" : "a bucket name has at most 63 characters")
        }
        for byte in bytes where !(isLowerAlphanumeric(byte) || byte == 0x2D || byte == 0x5F || byte == 0x2E) {
            throw fail("only lowercase letters, digits, '-', '_' and '.' are allowed")
        }
        guard isLowerAlphanumeric(bytes[0]), isLowerAlphanumeric(bytes[bytes.count - 1]) else {
            throw fail("a bucket name starts and ends with a letter or digit")
        }
        if dotted {
            let components = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard components.allSatisfy({ !$0.isEmpty && $0.count <= 63 }) else {
                throw fail("each dot-separated component is 1 to 63 characters")
            }
            if components.count == 4, components.allSatisfy({ $0.allSatisfy { (0x30...0x39).contains($0) } }) {
                throw fail("a bucket name cannot be an IP address")
            }
        }
        guard !bytes.starts(with: Array("goog".utf8)) else { throw fail("a bucket name cannot begin with 'goog'") }
        if containsGoogleLookalike(bytes) {
            throw fail("a bucket name cannot contain 'google' or a close misspelling of it")
        }
    }

    /// Whether `g[o0][o0]gle` (`google`, `g00gle`, `go0gle`, `g0ogle`) occurs in the ASCII name;
    /// byte-wise, because this runs for every upload and every decoded event.
    private static func containsGoogleLookalike(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 6 else { return false }
        func isO(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "o") || byte == UInt8(ascii: "0") }
        for start in 0...(bytes.count - 6)
        where bytes[start] == UInt8(ascii: "g") && isO(bytes[start + 1]) && isO(bytes[start + 2])
            && bytes[start + 3] == UInt8(ascii: "g") && bytes[start + 4] == UInt8(ascii: "l")
            && bytes[start + 5] == UInt8(ascii: "e")
        {
            return true
        }
        return false
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: BucketName, rhs: BucketName) -> Bool { lhs.rawValue < rhs.rawValue }
}
