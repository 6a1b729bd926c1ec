public import SluiceCore

/// A Pub/Sub message as the REST API's `PubsubMessage` describes it.
public struct PubsubMessage: Sendable, Hashable, Codable {
    /// The most bytes of data plus attributes one message may carry.
    public static let maximumSize = 10 * 1024 * 1024
    /// The most attributes one message may carry.
    public static let maximumAttributes = 100
    /// The longest attribute key, in bytes.
    public static let maximumAttributeKeyBytes = 256
    /// The longest attribute value, in bytes.
    public static let maximumAttributeValueBytes = 1024
    /// The longest ordering key, in bytes.
    public static let maximumOrderingKeyBytes = 1024

    /// Assigned by the server; unique within the topic.
    public var messageID: String
    /// Assigned by the server when the message is published.
    public var publishTime: Timestamp
    /// String attributes; keys that differ only in normalization are two attributes.
    public var attributes: ExactStringMap
    /// The payload bytes.
    public var data: [UInt8]
    /// Messages with the same non-empty key are delivered in publish order when the subscription asks.
    public var orderingKey: String

    /// Creates a message.
    public init(
        messageID: String,
        publishTime: Timestamp,
        attributes: ExactStringMap = [:],
        data: [UInt8] = [],
        orderingKey: String = ""
    ) {
        self.messageID = messageID
        self.publishTime = publishTime
        self.attributes = attributes
        self.data = data
        self.orderingKey = orderingKey
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "messageId"
        case publishTime, attributes, data, orderingKey
    }

    /// How errors name the message: by id once it has one (a publish validates before ids exist).
    private var described: String { messageID.isEmpty ? "a message" : "message \(messageID)" }

    /// Checks the publish-time rules: data or at least one attribute, and the size limits.
    public func validate() throws(SluiceError) {
        guard !data.isEmpty || !attributes.isEmpty else {
            throw SluiceError(.invalidArgument, "\(described) has neither data nor attributes")
        }
        try Self.validate(attributes: attributes)
        guard orderingKey.utf8.count <= Self.maximumOrderingKeyBytes else {
            throw SluiceError(.invalidArgument, "\(described) has an ordering key over 1024 bytes")
        }
        let size = data.count + attributes.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard size <= Self.maximumSize else {
            throw SluiceError(.invalidArgument, "\(described) is \(size) bytes; the limit is 10 MB")
        }
    }

    /// Checks attribute count, key and value sizes, and the reserved `goog` key prefix.
    public static func validate(attributes: ExactStringMap) throws(SluiceError) {
        guard attributes.count <= maximumAttributes else {
            throw SluiceError(.invalidArgument, "\(attributes.count) attributes; the limit is \(maximumAttributes)")
        }
        for (key, value) in attributes {
            guard !key.isEmpty, key.utf8.count <= maximumAttributeKeyBytes else {
                throw SluiceError(.invalidArgument, "an attribute key must be 1 to 256 bytes")
            }
            guard !key.hasPrefix("goog") else {
                throw SluiceError(.invalidArgument, "attribute key \(key) uses the reserved prefix 'goog'")
            }
            guard value.utf8.count <= maximumAttributeValueBytes else {
                throw SluiceError(.invalidArgument, "the value of attribute \(key) is over 1024 bytes")
            }
        }
    }
}
