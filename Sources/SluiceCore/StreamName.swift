/// The name of one event stream, such as `object/uploads/cat.png` or `execution/abc`.
///
/// Streams are the unit of optimistic concurrency: every event in a stream has a version one
/// higher than the event before it.
public struct StreamName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The longest stream name the log accepts, in UTF-8 bytes.
    ///
    /// It bounds the log's rows, not the resources: every valid resource must fit. The longest is
    /// an object's, `object/BUCKET/NAME` with a 222-byte bucket name and a 1024-byte object name
    /// whose every byte is percent-encoded (three bytes each): 7 + 222 + 1 + 3 × 1024 = 3302.
    public static let maximumLength = 4096

    /// The stream name as written.
    public let rawValue: String

    /// Creates a stream name after checking it is non-empty, short enough and free of control characters.
    public init(_ rawValue: String) throws(SluiceError) {
        guard !rawValue.isEmpty else {
            throw SluiceError(.invalidArgument, "a stream name must not be empty")
        }
        guard rawValue.utf8.count <= Self.maximumLength else {
            throw SluiceError(.invalidArgument, "a stream name must be at most \(Self.maximumLength) bytes")
        }
        guard !rawValue.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw SluiceError(.invalidArgument, "a stream name must not contain control characters")
        }
        self.rawValue = rawValue
    }

    /// Creates a stream name the caller knows is valid, such as one read back from the log.
    public init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// Names are compared, hashed and ordered by their UTF-8 bytes, as SQLite does: see
    /// ``ExactString``.
    public static func < (lhs: StreamName, rhs: StreamName) -> Bool { lhs.rawValue.bytePrecedes(rhs.rawValue) }

    public static func == (lhs: StreamName, rhs: StreamName) -> Bool { lhs.rawValue.isByteEqual(to: rhs.rawValue) }

    public func hash(into hasher: inout Hasher) { rawValue.hashBytes(into: &hasher) }
}
