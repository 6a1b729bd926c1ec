import SluiceCore
import SluiceResources
import Testing

@Suite("An object resource renders the same JSON as its Encodable conformance")
struct ObjectResourceJSONTests {
    static func version(
        name: String, metadata: [String: String] = [:], contentType: String = "image/png",
        deleted: Bool = false
    ) throws -> ObjectVersion {
        ObjectVersion(
            bucket: try BucketName("uploads"), name: try ObjectName(name), generation: 1_700_000_000_123_456,
            metageneration: 3, contentType: contentType, metadata: ExactStringMap(metadata), size: 42,
            md5Hash: "1B2M2Y8AsgTpgAmY7PhCfg==",
            crc32c: "AAAAAA==", digest: ContentDigest(sha256: [UInt8](repeating: 7, count: 32)),
            storageClass: "STANDARD",
            timeCreated: Fixtures.time(0), updated: Fixtures.time(5), timeDeleted: deleted ? Fixtures.time(9) : nil)
    }

    static func encoded(_ resource: ObjectResource) throws -> String { try SortedJSONEncoder.encode(resource) }

    @Test("a plain object")
    func plainObject() throws {
        let resource = ObjectResource(try Self.version(name: "cat.png"))
        #expect(String(decoding: resource.jsonBytes(), as: UTF8.self) == (try Self.encoded(resource)))
    }

    @Test("custom metadata, sorted by key, with characters JSON escapes")
    func metadataIsSortedAndEscaped() throws {
        let resource = ObjectResource(
            try Self.version(
                name: "dir/ünï \"quoted\"\\back\tslash.json",
                metadata: ["zeta": "last", "Alpha": "caps", "émoji": "🙂", "ctl": "a\u{01}b\nc", "a/b": "</x>"],
                contentType: "application/json; charset=\"utf-8\""),
            links: .serving("http://127.0.0.1:8080"))
        #expect(String(decoding: resource.jsonBytes(), as: UTF8.self) == (try Self.encoded(resource)))
    }

    @Test("a deleted generation carries timeDeleted in its place")
    func deletedGeneration() throws {
        let resource = ObjectResource(try Self.version(name: "old.png", deleted: true))
        #expect(String(decoding: resource.jsonBytes(), as: UTF8.self) == (try Self.encoded(resource)))
    }
}
