import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceResources
import Testing

@Suite("Reads of an object honour the ifGenerationMatch family as Cloud Storage does")
struct StorageReadPreconditionsTests {
    /// The three ways to read `cat.png` in bucket `reads`: metadata, `alt=media` and the download path.
    static let reads = [
        "/storage/v1/b/reads/o/cat.png?",
        "/storage/v1/b/reads/o/cat.png?alt=media&",
        "/download/storage/v1/b/reads/o/cat.png?alt=media&",
    ]

    /// Uploads `cat.png` twice into a versioned bucket; returns both generations, oldest first.
    static func twoGenerations(_ fixture: StorageFixture) async throws -> (old: Int64, live: Int64) {
        try await fixture.storage.createBucket("reads", versioningEnabled: true)
        let old = try await fixture.storage.upload(bucket: "reads", object: "cat.png", bytes: Array("old".utf8))
        let live = try await fixture.storage.upload(bucket: "reads", object: "cat.png", bytes: Array("new".utf8))
        return (old.generation, live.generation)
    }

    /// `{live}` and `{old}` in `query` become the generations; `{metageneration}` becomes 1.
    static func fill(_ query: String, _ generations: (old: Int64, live: Int64)) -> String {
        query.replacingOccurrences(of: "{live}", with: String(generations.live))
            .replacingOccurrences(of: "{old}", with: String(generations.old))
    }

    @Test(
        "a read whose Match precondition fails is 412 PRECONDITION_FAILED, never another generation",
        arguments: reads,
        [
            "ifGenerationMatch={old}", "ifMetagenerationMatch=2", "ifGenerationMatch=0",
            "generation={old}&ifGenerationMatch={live}", "generation={old}&ifMetagenerationMatch=3",
        ])
    func failedMatchIs412(_ read: String, _ query: String) async throws {
        let fixture = try StorageFixture()
        let generations = try await Self.twoGenerations(fixture)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: read + Self.fill(query, generations), method: .get) { response in
                #expect(response.status == .preconditionFailed)
                #expect(StorageFixture.errorStatus(response.body) == "FAILED_PRECONDITION")
            }
        }
    }

    @Test(
        "a read whose NotMatch precondition matches the generation it serves is 304 Not Modified",
        arguments: reads,
        ["ifGenerationNotMatch={live}", "ifMetagenerationNotMatch=1", "generation={old}&ifGenerationNotMatch={old}"])
    func matchingNotMatchIs304(_ read: String, _ query: String) async throws {
        let fixture = try StorageFixture()
        let generations = try await Self.twoGenerations(fixture)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: read + Self.fill(query, generations), method: .get) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test(
        "a read whose preconditions hold for the generation it serves answers that generation",
        arguments: reads,
        [
            ("ifGenerationMatch={live}&ifMetagenerationMatch=1", "{live}"),
            ("ifGenerationNotMatch={old}&ifMetagenerationNotMatch=2", "{live}"),
            ("generation={old}&ifGenerationMatch={old}", "{old}"),
            ("generation={old}&ifGenerationNotMatch={live}", "{old}"),
        ])
    func heldPreconditionsServe(_ read: String, _ example: (query: String, served: String)) async throws {
        let fixture = try StorageFixture()
        let generations = try await Self.twoGenerations(fixture)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: read + Self.fill(example.query, generations), method: .get) { response in
                #expect(response.status == .ok)
                let served = Self.fill(example.served, generations)
                if read.contains("alt=media") {
                    #expect(response.headers[StorageHTTPTestNames.generation] == served)
                } else {
                    #expect(StorageFixture.json(response.body)["generation"] as? String == served)
                }
            }
        }
    }
}
