import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceResources
import Testing

/// "é" precomposed (U+00E9) and decomposed ("e" and U+0301): one string to Swift, two keys to
/// Google, whose attribute and metadata keys are byte strings.
private let precomposed = "\u{E9}"
private let decomposed = "e\u{301}"

/// Whether `body` holds the UTF-8 bytes of `text` (`String.contains` would also find a
/// canonically equivalent spelling).
private func holds(_ body: ByteBuffer, _ text: String) -> Bool {
    let haystack = Array(body.readableBytesView)
    let needle = Array(text.utf8)
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
}

@Suite("Attribute and metadata keys that differ only in Unicode normalization stay two keys, as in Google's APIs")
struct ExactKeyAPITests {
    static let project = PubSubAPITests.project

    @Test("a message published with both spellings of a key is pulled with both attributes")
    func publishedAttributesKeepBothSpellings() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(string: #"{"topic": "projects/p/topics/jobs"}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: Self.project + "/topics/jobs:publish", method: .post,
                body: ByteBuffer(string: #"{"messages": [{"attributes": {"\u00e9": "1", "e\u0301": "2"}}]}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:pull", method: .post,
                body: ByteBuffer(string: #"{"maxMessages": 10}"#)
            ) { response in
                #expect(holds(response.body, #""\#(precomposed)":"1""#))
                #expect(holds(response.body, #""\#(decomposed)":"2""#))
            }
        }
    }

    @Test("a filter for the precomposed value does not match the decomposed one")
    func filterComparesValuesAsBytes() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(
                    string: #"{"topic": "projects/p/topics/jobs", "filter": "attributes.k = \"\u00e9\""}"#)
            ) { #expect($0.status == .ok) }
            for (data, value) in [("bm8=", #"e\u0301"#), ("eWVz", #"\u00e9"#)] {
                try await client.execute(
                    uri: Self.project + "/topics/jobs:publish", method: .post,
                    body: ByteBuffer(string: #"{"messages": [{"data": "\#(data)", "attributes": {"k": "\#(value)"}}]}"#)
                ) { #expect($0.status == .ok) }
            }
            let pulled = try await PubSubAPITests.pullData(client, subscription: "watch", wait: true)
            #expect(pulled == ["eWVz"])
        }
    }

    /// Patches `uploads/cat.png`'s metadata to hold both spellings of "é".
    private static func patchBothSpellings(_ client: some TestClientProtocol) async throws {
        try await client.execute(
            uri: "/storage/v1/b/uploads/o/cat.png", method: .patch,
            body: ByteBuffer(string: #"{"metadata": {"\u00e9": "a", "e\u0301": "b"}}"#)
        ) { #expect($0.status == .ok) }
    }

    @Test("a metadata patch with both spellings of a key stores both keys")
    func metadataPatchKeepsBothSpellings() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        _ = try await fixture.storage.upload(bucket: "uploads", object: "cat.png", bytes: [1])
        try await fixture.app().test(.router) { client in
            try await Self.patchBothSpellings(client)
            try await client.execute(uri: "/storage/v1/b/uploads/o/cat.png", method: .get) { response in
                #expect(holds(response.body, #""\#(precomposed)":"a""#))
                #expect(holds(response.body, #""\#(decomposed)":"b""#))
            }
        }
    }

    @Test("a multipart upload whose metadata has both spellings of a key stores both keys")
    func uploadMetadataKeepsBothSpellings() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        let boundary = "b0undary"
        let body =
            "--\(boundary)\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n"
            + #"{"name": "cat.png", "metadata": {"\u00e9": "a", "e\u0301": "b"}}"#
            + "\r\n--\(boundary)\r\ncontent-type: image/png\r\n\r\nx\r\n--\(boundary)--"
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=multipart", method: .post,
                headers: [.contentType: "multipart/related; boundary=\"\(boundary)\""], body: ByteBuffer(string: body)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/storage/v1/b/uploads/o/cat.png", method: .get) { response in
                #expect(holds(response.body, #""\#(precomposed)":"a""#))
                #expect(holds(response.body, #""\#(decomposed)":"b""#))
            }
        }
    }

    @Test("a null in a metadata patch deletes only the key spelled with exactly those bytes")
    func metadataNullDeletesOneSpelling() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        _ = try await fixture.storage.upload(bucket: "uploads", object: "cat.png", bytes: [1])
        try await fixture.app().test(.router) { client in
            try await Self.patchBothSpellings(client)
            try await client.execute(
                uri: "/storage/v1/b/uploads/o/cat.png", method: .patch,
                body: ByteBuffer(string: #"{"metadata": {"e\u0301": null}}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/storage/v1/b/uploads/o/cat.png", method: .get) { response in
                #expect(holds(response.body, #""\#(precomposed)":"a""#))
                #expect(!holds(response.body, decomposed))
            }
        }
    }

    @Test("a notification config keeps custom attributes with both spellings of a key")
    func notificationCustomAttributesKeepBothSpellings() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await PubSubService(log: fixture.log).createTopic("changes")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/storage/v1/b/uploads/notificationConfigs", method: .post,
                body: ByteBuffer(
                    string: #"""
                        {"topic": "//pubsub.googleapis.com/projects/p/topics/changes",
                         "custom_attributes": {"\u00e9": "1", "e\u0301": "2"}}
                        """#)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/storage/v1/b/uploads/notificationConfigs", method: .get) { response in
                #expect(holds(response.body, #""\#(precomposed)":"1""#))
                #expect(holds(response.body, #""\#(decomposed)":"2""#))
            }
        }
    }
}
