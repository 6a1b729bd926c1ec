internal import Foundation

extension PubsubMessage {
    /// Decodes the stored form, where `data` is base64 as in the REST API.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageID = try container.decodeIfPresent(String.self, forKey: .messageID) ?? ""
        publishTime = try container.decode(Timestamp.self, forKey: .publishTime)
        attributes = try container.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        let base64 = try container.decodeIfPresent(String.self, forKey: .data) ?? ""
        guard let bytes = Data(base64Encoded: base64) else {
            throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "not base64")
        }
        data = Array(bytes)
        orderingKey = try container.decodeIfPresent(String.self, forKey: .orderingKey) ?? ""
    }

    /// Encodes `data` as base64, and leaves out empty attributes, ordering keys and ids (a
    /// published message's id is its topic stream version, known only once appended).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !messageID.isEmpty { try container.encode(messageID, forKey: .messageID) }
        try container.encode(publishTime, forKey: .publishTime)
        if !attributes.isEmpty { try container.encode(attributes, forKey: .attributes) }
        if !data.isEmpty { try container.encode(Data(data).base64EncodedString(), forKey: .data) }
        if !orderingKey.isEmpty { try container.encode(orderingKey, forKey: .orderingKey) }
    }
}
