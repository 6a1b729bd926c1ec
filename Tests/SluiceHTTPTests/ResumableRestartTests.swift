import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceResources
import SluiceTesting
import Testing

@testable import SluiceHTTP

/// Each `fixture.app()` is a new set of routes over the same log and directory: what a restarted
/// server sees.
@Suite("A resumable upload session outlives a restart of the server")
struct ResumableRestartTests {
    /// One PUT of the session; its status, `Range` header and object generation.
    static func put(_ client: some TestClientProtocol, _ path: String, range: String, _ body: String) async throws
        -> (status: UInt, range: String?, generation: String?)
    {
        try await client.execute(
            uri: path, method: .put, headers: [.contentRange: range], body: ByteBuffer(string: body)
        ) { response in
            (
                UInt(response.status.code), response.headers[.range],
                StorageFixture.json(response.body)["generation"] as? String
            )
        }
    }

    @Test("a session started before a restart reports its bytes after it and finishes with all of them")
    func sessionResumesAfterRestart() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        let path = try await fixture.app().test(.router) { client in
            let path = try await StorageAPITests.startResumableUpload(client, object: "big.bin")
            #expect(try await Self.put(client, path, range: "bytes 0-3/*", "abcd").status == 308)
            return path
        }
        try await fixture.app().test(.router) { client in
            let status = try await Self.put(client, path, range: "bytes */*", "")
            #expect(status.status == 308)
            #expect(status.range == "bytes=0-3")
            #expect(try await Self.put(client, path, range: "bytes 4-6/7", "efg").status == 200)
        }
        let object = try await fixture.storage.object(bucket: "uploads", object: "big.bin")
        #expect(String(decoding: try await fixture.storage.content(of: object), as: UTF8.self) == "abcdefg")
    }

    @Test("a final chunk retried after a restart answers with the object the session made")
    func finishedSessionAnswersAfterRestart() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads", versioningEnabled: true)
        let (path, first) = try await fixture.app().test(.router) { client in
            let path = try await StorageAPITests.startResumableUpload(client, object: "once.bin")
            return (path, try await Self.put(client, path, range: "bytes 0-2/3", "abc").generation)
        }
        try await fixture.app().test(.router) { client in
            let retried = try await Self.put(client, path, range: "bytes 0-2/3", "abc")
            #expect(retried.status == 200)
            #expect(retried.generation == first)
        }
        let versions = try await fixture.storage.listObjects("uploads", ObjectListing(versions: true)).objects
        #expect(versions.count == 1)
    }

    @Test("a finalization cut short after its object was recorded makes no second generation when retried")
    func interruptedFinalizationIsNotRepeated() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads", versioningEnabled: true)
        let path = try await fixture.app().test(.router) { client in
            let path = try await StorageAPITests.startResumableUpload(client, object: "once.bin")
            #expect(try await Self.put(client, path, range: "bytes 0-2/*", "abc").status == 308)
            return path
        }
        // The process recorded the object and died before it could mark the session finished.
        let id = try #require(URLComponents(string: path)?.queryItems?.first { $0.name == "upload_id" }?.value)
        let recorded = try await fixture.storage.upload(
            bucket: "uploads", object: "once.bin", bytes: Array("abc".utf8),
            idempotencyKey: ResumableUploads.idempotencyKey(id))
        try await fixture.app().test(.router) { client in
            let retried = try await Self.put(client, path, range: "bytes */3", "")
            #expect(retried.status == 200)
            #expect(retried.generation == String(recorded.generation))
        }
        let versions = try await fixture.storage.listObjects("uploads", ObjectListing(versions: true)).objects
        #expect(versions.count == 1)
    }

    @Test(
        "an upload_id that is not a session id is NOT_FOUND and names no file",
        arguments: ["../../sluice.db", "..%2F..%2Fsluice.db", "00000000-0000-0000-0000-000000000000", "ABC"])
    func foreignUploadIDIsNotFound(_ id: String) async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=resumable&upload_id=\(id)", method: .put,
                headers: [.contentRange: "bytes */*"]
            ) { response in
                #expect(response.status == .notFound)
                #expect(StorageFixture.errorStatus(response.body) == "NOT_FOUND")
            }
        }
    }

    @Test("a session's files are forgotten a week after their last change")
    func expiredSessionFilesAreRemoved() throws {
        let directory = ScratchSpace.url("sluice-sessions-\(UUID())").path
        let files = ResumableSessionFiles(directory: directory)
        let id = UUID().uuidString.lowercased()
        try files.create(id, .init(bucket: "b", object: "o", contentType: "text/plain", customMetadata: [:]))
        files.removeExpired(now: Date().addingTimeInterval(ResumableSessionFiles.lifetime - 60))
        #expect(files.load(id) != nil)
        files.removeExpired(now: Date().addingTimeInterval(ResumableSessionFiles.lifetime + 60))
        #expect(files.load(id) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
