/// What a writer believes a stream's version to be before it appends.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the stream's version is.
    case any
    /// The stream must have no events yet.
    case noStream
    /// The stream must have at least one event.
    case streamExists
    /// The stream's last event must have exactly this version.
    case exact(Int64)

    /// Whether a stream at `actual` satisfies this expectation.
    public func isSatisfied(by actual: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: actual == 0
        case .streamExists: actual > 0
        case .exact(let version): actual == version
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .streamExists: "stream exists"
        case .exact(let version): String(version)
        }
    }
}
