public import SluiceCore

/// The Pub/Sub rules for topic and subscription ids (https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names):
/// 3-255 characters, starting with a letter, of letters, digits and `-_.~+%`, not starting with `goog`.
enum PubsubResourceName {
    static func validate(_ id: String, kind: String) throws(SluiceError) {
        func fail(_ why: String) -> SluiceError { SluiceError(.invalidArgument, "invalid \(kind) name: \(why)") }
        let bytes = Array(id.utf8)
        guard (3...255).contains(bytes.count) else { throw fail("a \(kind) name has 3 to 255 characters") }
        guard isLetter(bytes[0]) else { throw fail("a \(kind) name starts with a letter") }
        let allowed = Set("-_.~+%".utf8)
        guard bytes.allSatisfy({ isLetter($0) || (0x30...0x39).contains($0) || allowed.contains($0) }) else {
            throw fail("only letters, digits and '-_.~+%' are allowed")
        }
        guard !id.hasPrefix("goog") else { throw fail("a \(kind) name cannot begin with 'goog'") }
    }

    /// The id at the end of `projects/P/COLLECTION/ID` or `//pubsub.googleapis.com/projects/P/COLLECTION/ID`,
    /// or the text itself when it has no slash. With `project`, a name in another project is
    /// INVALID_ARGUMENT (see ``TopicName/init(resource:project:)``); without, it is not checked.
    static func id(fromResource text: String, collection: String, project: String? = nil) throws(SluiceError)
        -> String
    {
        var rest = Substring(text)
        if rest.hasPrefix("//pubsub.googleapis.com/") { rest = rest.dropFirst("//pubsub.googleapis.com/".count) }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "projects", parts[2] == collection else { return String(rest) }
        if let project, parts[1] != project {
            throw SluiceError(
                .invalidArgument,
                "\(text) is in project \(parts[1]), not \(project): a request to project \(project) can only "
                    + "name that project's \(collection)")
        }
        return String(parts[3])
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}

/// A Pub/Sub topic id.
public struct TopicName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The id as written.
    public let rawValue: String

    /// Validates a topic id.
    public init(_ rawValue: String) throws(SluiceError) {
        try PubsubResourceName.validate(rawValue, kind: "topic")
        self.rawValue = rawValue
    }

    /// Accepts a bare id, `projects/P/topics/T` or `//pubsub.googleapis.com/projects/P/topics/T`.
    public init(resource: String) throws(SluiceError) {
        try self.init(PubsubResourceName.id(fromResource: resource, collection: "topics"))
    }

    /// Accepts a bare id, or a full name in `project`. A name in another project is
    /// INVALID_ARGUMENT: Sluice serves one project per request path, so reading
    /// `projects/q/topics/t` as `t` would quietly refer to a different topic than the one named.
    public init(resource: String, project: String) throws(SluiceError) {
        try self.init(PubsubResourceName.id(fromResource: resource, collection: "topics", project: project))
    }

    /// `projects/PROJECT/topics/ID`.
    public func resourceName(project: String) -> String { "projects/\(project)/topics/\(rawValue)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: TopicName, rhs: TopicName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A Pub/Sub subscription id.
public struct SubscriptionName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The id as written.
    public let rawValue: String

    /// Validates a subscription id.
    public init(_ rawValue: String) throws(SluiceError) {
        try PubsubResourceName.validate(rawValue, kind: "subscription")
        self.rawValue = rawValue
    }

    /// Accepts a bare id or `projects/P/subscriptions/S` (with or without the service prefix).
    public init(resource: String) throws(SluiceError) {
        try self.init(PubsubResourceName.id(fromResource: resource, collection: "subscriptions"))
    }

    /// `projects/PROJECT/subscriptions/ID`.
    public func resourceName(project: String) -> String { "projects/\(project)/subscriptions/\(rawValue)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: SubscriptionName, rhs: SubscriptionName) -> Bool { lhs.rawValue < rhs.rawValue }
}
