/// A point in time in microseconds since the Unix epoch, as the log records it.
///
/// Resources never read the wall clock: every decision takes a `Timestamp` from its caller.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// Creates a timestamp from whole seconds since the Unix epoch.
    public init(seconds: Int64) {
        self.microseconds = seconds * 1_000_000
    }

    /// This time plus a number of seconds.
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(microseconds: microseconds + seconds * 1_000_000)
    }

    /// This time plus a number of microseconds.
    public func adding(microseconds delta: Int64) -> Timestamp {
        Timestamp(microseconds: microseconds + delta)
    }

    /// RFC 3339 in UTC with millisecond precision, as Cloud Storage prints `timeCreated`.
    public var rfc3339Milliseconds: String { RFC3339.format(self, fractionDigits: 3) }

    /// RFC 3339 in UTC with microsecond precision, as Pub/Sub prints `publishTime`.
    public var rfc3339Microseconds: String { RFC3339.format(self, fractionDigits: 6) }

    public var description: String { rfc3339Microseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    public init(from decoder: any Decoder) throws {
        microseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(microseconds)
    }
}
