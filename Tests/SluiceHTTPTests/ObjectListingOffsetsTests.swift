import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceResources
import Testing

@Suite("Object listings honour startOffset and endOffset as byte-order bounds on names")
struct ObjectListingOffsetsTests {
    static let names = ["a.csv", "b.csv", "b/one.csv", "b/two.csv", "c.txt", "d.txt"]

    /// Lists bucket `offsets` with `query`; returns the item names and the rolled-up prefixes.
    static func list(_ client: some TestClientProtocol, _ query: String) async throws -> (
        items: [String], prefixes: [String], token: String?
    ) {
        try await client.execute(uri: "/storage/v1/b/offsets/o?" + query, method: .get) { response in
            #expect(response.status == .ok)
            let page = StorageFixture.json(response.body)
            return (
                (page["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String },
                page["prefixes"] as? [String] ?? [], page["nextPageToken"] as? String
            )
        }
    }

    static func fixture() async throws -> StorageFixture {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("offsets")
        for name in names { try await fixture.storage.upload(bucket: "offsets", object: name, bytes: [1]) }
        return fixture
    }

    @Test(
        "only names from startOffset (inclusive) to endOffset (exclusive) are listed",
        arguments: [
            ("startOffset=b", ["b.csv", "b/one.csv", "b/two.csv", "c.txt", "d.txt"]),
            ("endOffset=b%2Fone.csv", ["a.csv", "b.csv"]),
            ("startOffset=b.csv&endOffset=c.txt", ["b.csv", "b/one.csv", "b/two.csv"]),
            ("startOffset=b&endOffset=b%2Ftwo.csv&prefix=b%2F", ["b/one.csv"]),
            ("startOffset=e", []),
        ])
    func offsetsBoundNames(_ query: String, _ expected: [String]) async throws {
        let fixture = try await Self.fixture()
        try await fixture.app().test(.router) { client in
            let listed = try await Self.list(client, query)
            #expect(listed.items == expected)
        }
    }

    @Test("offsets compose with a delimiter: a prefix is listed when a name in range rolls up into it")
    func offsetsComposeWithADelimiter() async throws {
        let fixture = try await Self.fixture()
        try await fixture.app().test(.router) { client in
            let page = try await Self.list(client, "delimiter=%2F&startOffset=b%2Ftwo.csv&endOffset=d")
            #expect(page.items == ["c.txt"])
            #expect(page.prefixes == ["b/"])
        }
    }

    @Test("offsets compose with page tokens: the pages together list exactly the names in range")
    func offsetsComposeWithPages() async throws {
        let fixture = try await Self.fixture()
        try await fixture.app().test(.router) { client in
            var listed: [String] = []
            var token: String?
            repeat {
                let tokenQuery = token.map {
                    "&pageToken=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                }
                let page = try await Self.list(client, "maxResults=2&startOffset=a.d&endOffset=d" + (tokenQuery ?? ""))
                listed += page.items
                token = page.token
            } while token != nil
            #expect(listed == ["b.csv", "b/one.csv", "b/two.csv", "c.txt"])
        }
    }

    @Test("matchGlob, which this emulator does not implement, is INVALID_ARGUMENT rather than ignored")
    func matchGlobIsRefused() async throws {
        let fixture = try await Self.fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/storage/v1/b/offsets/o?matchGlob=**.csv", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(StorageFixture.errorStatus(response.body) == "INVALID_ARGUMENT")
            }
        }
    }
}
