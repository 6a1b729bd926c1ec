internal import Foundation
import SluiceCore

extension PubsubMessage {
    /// Decodes the stored form, where `data` is base64 as in the REST API.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageID = try container.decodeIfPresent(String.self, forKey: .messageID) ?? ""
        publishTime = try container.decode(Timestamp.self, forKey: .publishTime)
        attributes = try container.decodeIfPresent(ExactStringMap.self, forKey: .attributes) ?? [:]
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

extension PubsubMessage {
    /// The stored form as ``encode(to:)`` writes it through `SortedJSONEncoder`, written directly
    /// (tests hold the two to the same bytes): every upload's notification publishes one.
    func json() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 + data.count * 4 / 3)
        out.append(UInt8(ascii: "{"))
        var first = true
        func member(_ key: StaticString) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: "\":".utf8)
        }
        if !attributes.isEmpty {
            member("attributes")
            attributes.appendStoredJSON(to: &out)
        }
        if !data.isEmpty {
            member("data")
            JSONText.appendQuoted(Data(data).base64EncodedString(), to: &out)
        }
        if !messageID.isEmpty {
            member("messageId")
            JSONText.appendQuoted(messageID, to: &out)
        }
        if !orderingKey.isEmpty {
            member("orderingKey")
            JSONText.appendQuoted(orderingKey, to: &out)
        }
        member("publishTime")
        out.append(contentsOf: String(publishTime.microseconds).utf8)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads what ``json()`` writes, without the generic decoder; nil for any other shape (see
    /// ``StoredJSONObject``).
    static func decodeStored(_ text: String) -> PubsubMessage? {
        do throws(StoredJSONObject.Mismatch) {
            var stored = try StoredJSONObject(parsing: text)
            let base64 = try stored.optionalString("data") ?? ""
            guard let data = Base64.decode(base64) else { return nil }
            let message = PubsubMessage(
                messageID: try stored.optionalString("messageId") ?? "",
                publishTime: Timestamp(microseconds: try stored.integer("publishTime")),
                attributes: try stored.optionalStringMap("attributes") ?? [:],
                data: data,
                orderingKey: try stored.optionalString("orderingKey") ?? "")
            try stored.finish()
            return message
        } catch {
            return nil
        }
    }
}
