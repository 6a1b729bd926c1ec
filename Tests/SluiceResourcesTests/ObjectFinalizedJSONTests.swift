import Foundation
import SluiceCore
import Testing

@testable import SluiceResources

@Suite("An object.finalized payload writes the same JSON as its Encodable conformance")
struct ObjectFinalizedJSONTests {
    static func payload(
        name: String = "cat.png", metadata: [String: String] = [:], inline: [UInt8]? = nil, deleted: Bool = false,
        overwrote: Int64? = nil
    ) throws -> ObjectFinalized {
        ObjectFinalized(
            object: ObjectVersion(
                bucket: try BucketName("uploads"), name: try ObjectName(name), generation: 1_700_000_000_123_456,
                metageneration: 1, contentType: "image/png", metadata: ExactStringMap(metadata), size: 42,
                md5Hash: "1B2M2Y8AsgTpgAmY7PhCfg==", crc32c: "AAAAAA==",
                digest: ContentDigest(sha256: [UInt8](repeating: 9, count: 32)), storageClass: "STANDARD",
                timeCreated: Fixtures.time(0), updated: Fixtures.time(1), timeDeleted: deleted ? Fixtures.time(2) : nil,
                inlineContent: inline.map { InlineBytes($0) }),
            overwroteGeneration: overwrote)
    }

    @Test("a plain first upload")
    func plainUpload() throws {
        let payload = try Self.payload()
        #expect(payload.json() == (try SortedJSONEncoder.encode(payload)))
    }

    @Test("inline content, sorted and escaped metadata, an odd name and an overwritten generation")
    func everyOptionalMember() throws {
        let payload = try Self.payload(
            name: "dir/ünï \"q\"\\\t.json", metadata: ["b": "2", "A": "1", "é": "🙂", "c": "\u{02}"],
            inline: Array(#"{"instances": [[0.5, 1]]}"#.utf8) + [0, 255], overwrote: 1_699_999_999_000_000)
        #expect(payload.json() == (try SortedJSONEncoder.encode(payload)))
    }

    @Test("a deleted generation")
    func deletedGeneration() throws {
        let payload = try Self.payload(deleted: true)
        #expect(payload.json() == (try SortedJSONEncoder.encode(payload)))
    }

    @Test("its hand-written decoder reads back every payload above")
    func decodesWhatItWrites() throws {
        let payloads = [
            try Self.payload(),
            try Self.payload(
                name: "dir/ünï \"q\"\\\t.json", metadata: ["b": "2", "é": "🙂", "c": "\u{02}"],
                inline: [0, 255, 10], overwrote: 7),
            try Self.payload(deleted: true),
        ]
        for payload in payloads {
            #expect(ObjectFinalized.decodeStored(payload.json()) == payload)
        }
    }

    @Test("its hand-written decoder gives up on a member it does not know, leaving it to the generic one")
    func unknownMemberIsNotRead() throws {
        let text = try Self.payload().json().dropLast() + ",\"future\":1}"
        #expect(ObjectFinalized.decodeStored(String(text)) == nil)
    }

    @Test("its hand-written decoder gives up on a missing member or a wrong type")
    func wrongShapeIsNotRead() throws {
        let text = try Self.payload().json()
        #expect(ObjectFinalized.decodeStored(text.replacingOccurrences(of: "\"size\":42,", with: "")) == nil)
        #expect(
            ObjectFinalized.decodeStored(text.replacingOccurrences(of: "\"size\":42", with: "\"size\":\"42\"")) == nil)
        #expect(ObjectFinalized.decodeStored("[]") == nil)
    }
}
