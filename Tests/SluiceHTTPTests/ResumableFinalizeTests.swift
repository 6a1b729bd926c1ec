import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceResources
import Testing

@Suite("A resumable upload session finalizes its object at most once")
struct ResumableFinalizeTests {
    /// Starts a session for `once.bin` in the versioned bucket `uploads`; returns its path.
    static func start(_ fixture: StorageFixture, _ client: some TestClientProtocol) async throws -> String {
        try await fixture.storage.createBucket("uploads", versioningEnabled: true)
        return try await StorageAPITests.startResumableUpload(client, object: "once.bin")
    }

    /// Sends the whole three-byte object as the session's final chunk; returns status and generation.
    static func finalPut(_ client: some TestClientProtocol, _ path: String) async throws -> (UInt, String?) {
        try await client.execute(
            uri: path, method: .put, headers: [.contentRange: "bytes 0-2/3"], body: ByteBuffer(string: "abc")
        ) { response in
            (UInt(response.status.code), StorageFixture.json(response.body)["generation"] as? String)
        }
    }

    @Test("concurrent final chunks of one session make one generation, and each answers with it")
    func concurrentFinalChunksMakeOneGeneration() async throws {
        let fixture = try StorageFixture()
        try await fixture.app().test(.router) { client in
            let path = try await Self.start(fixture, client)
            let answers = try await withThrowingTaskGroup(of: (UInt, String?).self) { group in
                for _ in 0..<4 { group.addTask { try await Self.finalPut(client, path) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let versions = try await fixture.storage.listObjects("uploads", ObjectListing(versions: true)).objects
            #expect(versions.count == 1)
            #expect(answers.allSatisfy { $0.0 == 200 && $0.1 == versions.first.map { String($0.generation) } })
        }
    }

    @Test("a final chunk retried after the session finished answers 200 with the finished object")
    func retriedFinalChunkGetsTheObject() async throws {
        let fixture = try StorageFixture()
        try await fixture.app().test(.router) { client in
            let path = try await Self.start(fixture, client)
            let first = try await Self.finalPut(client, path)
            let retried = try await Self.finalPut(client, path)
            #expect(first.0 == 200)
            #expect(retried.0 == 200)
            #expect(retried.1 == first.1)
            let versions = try await fixture.storage.listObjects("uploads", ObjectListing(versions: true)).objects
            #expect(versions.count == 1)
        }
    }
}
