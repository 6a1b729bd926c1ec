import Foundation
import SluiceCore
import Testing

@testable import SluiceResources

/// "é" precomposed (U+00E9) and decomposed ("e" and U+0301): one string to Swift, two keys and
/// two values to Pub/Sub and Cloud Storage, which compare bytes.
private let precomposed = "\u{E9}"
private let decomposed = "e\u{301}"

@Suite("Attribute and metadata keys and values compare as bytes, as Google compares them")
struct ExactKeyTests {
    @Test("a filter for the precomposed value does not match the decomposed one")
    func filterValueComparesBytes() throws {
        let filter = try SubscriptionFilter(parsing: #"attributes.k = "\#(precomposed)""#)
        #expect(!filter.matches(["k": decomposed]))
    }

    @Test("hasPrefix compares bytes: the decomposed é starts with an e")
    func hasPrefixComparesBytes() throws {
        let filter = try SubscriptionFilter(parsing: #"hasPrefix(attributes.k, "e")"#)
        #expect(filter.matches(["k": decomposed]))
    }

    @Test("a message with both spellings of an attribute key decodes from its stored JSON with both")
    func storedMessageKeepsBothSpellings() throws {
        var message = PubsubMessage(messageID: "7", publishTime: Fixtures.time(0), data: [1])
        message.attributes[precomposed] = "1"
        message.attributes[decomposed] = "2"
        let text = try SortedJSONEncoder.encode(message)
        #expect(message.json() == text)
        let decoded = try JSONDecoder().decode(PubsubMessage.self, from: Data(text.utf8))
        #expect(decoded.attributes.count == 2)
        #expect(decoded == message)
    }

    @Test("an uploaded object with both spellings of a metadata key decodes from its stored JSON with both")
    func storedObjectKeepsBothSpellings() throws {
        var object = ObjectVersion(
            bucket: try BucketName("uploads"), name: try ObjectName("cat.png"), generation: 1, metageneration: 1,
            contentType: "image/png", metadata: [:], size: 1, md5Hash: "", crc32c: "",
            digest: ContentDigest(sha256: [UInt8](repeating: 9, count: 32)), storageClass: "STANDARD",
            timeCreated: Fixtures.time(0), updated: Fixtures.time(0))
        object.metadata[precomposed] = "a"
        object.metadata[decomposed] = "b"
        let payload = ObjectFinalized(object: object)
        let text = try SortedJSONEncoder.encode(payload)
        #expect(payload.json() == text)
        let decoded = try JSONDecoder().decode(ObjectFinalized.self, from: Data(text.utf8))
        #expect(decoded.object.metadata.count == 2)
        #expect(decoded == payload)
    }
}
