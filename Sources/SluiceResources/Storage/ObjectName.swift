public import SluiceCore

/// A Cloud Storage object name, validated by the rules of
/// https://cloud.google.com/storage/docs/objects#naming .
///
/// 1 to 1024 bytes of UTF-8 (a Swift `String` is always valid UTF-8); no carriage return or
/// line feed; not `.` or `..`; not starting with `.well-known/acme-challenge/`. Object names
/// are never used as file paths: bytes are stored under their ``ContentDigest``.
public struct ObjectName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The longest object name, in UTF-8 bytes.
    public static let maximumLength = 1024

    /// The name as written.
    public let rawValue: String

    /// Validates an object name.
    public init(_ rawValue: String) throws(SluiceError) {
        func fail(_ why: String) -> SluiceError { SluiceError(.invalidArgument, "invalid object name: \(why)") }
        let count = rawValue.utf8.count
        guard count >= 1 else { throw fail("an object name is at least 1 byte") }
        guard count <= Self.maximumLength else { throw fail("an object name is at most 1024 bytes of UTF-8") }
        guard !rawValue.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
            throw fail("an object name cannot contain a carriage return or line feed")
        }
        guard rawValue != ".", rawValue != ".." else { throw fail("an object name cannot be '.' or '..'") }
        guard !rawValue.hasPrefix(".well-known/acme-challenge/") else {
            throw fail("an object name cannot start with '.well-known/acme-challenge/'")
        }
        self.rawValue = rawValue
    }

    /// Validates the name of an object being created: Google's rules plus Sluice's refusal of
    /// names that read as paths escaping a directory, a segment `..` or a leading `/`, and of NUL.
    ///
    /// Google accepts these. Sluice never uses a name as a file path (bytes are stored under
    /// their digest), but clients that mirror a bucket into a directory do, and a name like
    /// `../../.bashrc` turns such a download into a write outside it. Only creation is refused:
    /// objects already stored under such names stay readable and deletable.
    public static func forNewObject(_ rawValue: String) throws(SluiceError) -> ObjectName {
        let name = try ObjectName(rawValue)
        func fail(_ why: String) -> SluiceError { SluiceError(.invalidArgument, "invalid object name: \(why)") }
        guard !rawValue.utf8.contains(0) else { throw fail("an object name cannot contain NUL") }
        guard !rawValue.hasPrefix("/") else {
            throw fail("an object name cannot start with '/', which reads as an absolute path")
        }
        guard !rawValue.split(separator: "/", omittingEmptySubsequences: false).contains("..") else {
            throw fail("an object name cannot have a '..' segment, which reads as a path out of its directory")
        }
        return name
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

    /// Names are compared, hashed and ordered by their UTF-8 bytes, as Cloud Storage does:
    /// "café" precomposed and decomposed are two objects (see ``ExactString``), and listings come
    /// in byte order.
    public static func < (lhs: ObjectName, rhs: ObjectName) -> Bool { lhs.rawValue.bytePrecedes(rhs.rawValue) }

    public static func == (lhs: ObjectName, rhs: ObjectName) -> Bool { lhs.rawValue.isByteEqual(to: rhs.rawValue) }

    public func hash(into hasher: inout Hasher) { rawValue.hashBytes(into: &hasher) }
}
