import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLog
import SluiceResources
import SluiceTesting
import Testing

/// A router with the Cloud Storage routes over a memory log and a temporary object store.
struct StorageFixture {
    let log = MemoryEventLog()
    let directory = ScratchSpace.url("sluice-gcs-\(UUID())").path
    let storage: StorageService

    init() throws {
        storage = StorageService(log: log, objects: try LocalObjectStore(directory: directory))
    }

    func app() -> some ApplicationProtocol {
        let catalog = WorkflowCatalog(log: log)
        let services = SluiceRouter.Services(
            log: log, catalog: catalog,
            runner: ExecutionRunner(log: log, catalog: catalog, performer: UnroutedEffectPerformer()),
            storage: StorageRoutes(
                storage: storage, uploadsDirectory: directory + "/uploads", maximumBodyBytes: 1 << 20))
        return Application(router: SluiceRouter.make(services))
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] { APIFixture.json(buffer) }

    static func errorStatus(_ buffer: ByteBuffer) -> String? {
        (json(buffer)["error"] as? [String: Any])?["status"] as? String
    }
}

@Suite("The Cloud Storage JSON API stores, lists, patches and serves objects as google-cloud-storage expects")
struct StorageAPITests {
    @Test("a multipart upload stores the media part under the JSON part's name, with the checksums GCS prints")
    func multipartUpload() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        let boundary = "===============0159497367917720133=="
        let body =
            "--\(boundary)\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n"
            + #"{"name": "dir/small.txt", "metadata": {"color": "blue"}, "crc32c": "yZRlqg=="}"#
            + "\r\n--\(boundary)\r\ncontent-type: text/plain\r\n\r\nhello world\r\n--\(boundary)--"
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=multipart", method: .post,
                headers: [.contentType: "multipart/related; boundary=\"\(boundary)\""],
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .ok)
                let object = StorageFixture.json(response.body)
                #expect(object["name"] as? String == "dir/small.txt")
                #expect(object["size"] as? String == "11")
                #expect(object["crc32c"] as? String == "yZRlqg==")
                #expect(object["md5Hash"] as? String == "XrY7u+Ae7tCTyyK7j1rNww==")
                #expect(object["contentType"] as? String == "text/plain")
                #expect((object["metadata"] as? [String: String])?["color"] == "blue")
                #expect(
                    (object["mediaLink"] as? String)?.hasPrefix(
                        "http://localhost/download/storage/v1/b/uploads/o/dir%2Fsmall.txt?generation=") == true)
            }
            try await client.execute(uri: "/storage/v1/b/uploads/o/dir%2Fsmall.txt?alt=media", method: .get) {
                response in
                #expect(String(buffer: response.body) == "hello world")
                #expect(response.headers[StorageHTTPTestNames.hash] == "crc32c=yZRlqg==,md5=XrY7u+Ae7tCTyyK7j1rNww==")
            }
        }
    }

    @Test(
        "a multipart upload whose crc32c or md5Hash does not match the bytes is refused and stores nothing",
        arguments: [#""crc32c": "AAAAAA==""#, #""md5Hash": "1B2M2Y8AsgTpgAmY7PhCfg==""#])
    func corruptUploadIsRefused(_ checksum: String) async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        let body =
            "--b\r\ncontent-type: application/json\r\n\r\n" + #"{"name": "x", \#(checksum)}"#
            + "\r\n--b\r\ncontent-type: text/plain\r\n\r\nhello world\r\n--b--"
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=multipart", method: .post,
                headers: [.contentType: "multipart/related; boundary=b"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/storage/v1/b/uploads/o/x", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(
        "a media upload whose x-goog-hash does not match the bytes is refused and stores nothing",
        arguments: ["crc32c=AAAAAA==", "md5=1B2M2Y8AsgTpgAmY7PhCfg==", "crc32c=yZRlqg==,md5=AAAAAAAAAAAAAAAAAAAAAA=="])
    func mediaUploadWithWrongHashIsRefused(_ hash: String) async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=media&name=x", method: .post,
                headers: [HTTPField.Name("x-goog-hash")!: hash], body: ByteBuffer(string: "hello world")
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/storage/v1/b/uploads/o/x", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a media upload whose x-goog-hash matches the bytes is stored")
    func mediaUploadWithMatchingHashIsStored() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=media&name=x", method: .post,
                headers: [HTTPField.Name("x-goog-hash")!: "crc32c=yZRlqg==,md5=XrY7u+Ae7tCTyyK7j1rNww=="],
                body: ByteBuffer(string: "hello world")
            ) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a resumable upload in chunks answers 308 with the persisted range, then 200 with the object")
    func resumableUploadInChunks() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        let bytes = (0..<3_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try await fixture.app().test(.router) { client in
            let location = try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=resumable", method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name": "big.bin"}"#)
            ) { response in
                #expect(response.status == .ok)
                return response.headers[.location] ?? ""
            }
            #expect(
                location.hasPrefix("http://localhost/upload/storage/v1/b/uploads/o?uploadType=resumable&upload_id="))
            let path = String(location.dropFirst("http://localhost".count))
            try await client.execute(
                uri: path, method: .put, headers: [.contentRange: "bytes 0-999/3000"],
                body: ByteBuffer(bytes: bytes[0..<1_000])
            ) { response in
                #expect(response.status.code == 308)
                #expect(response.headers[.range] == "bytes=0-999")
            }
            try await client.execute(uri: path, method: .put, headers: [.contentRange: "bytes */3000"]) { response in
                #expect(response.status.code == 308)
                #expect(response.headers[.range] == "bytes=0-999")
            }
            try await client.execute(
                uri: path, method: .put, headers: [.contentRange: "bytes 1000-2999/3000"],
                body: ByteBuffer(bytes: bytes[1_000...])
            ) { response in
                #expect(response.status == .ok)
                #expect(StorageFixture.json(response.body)["size"] as? String == "3000")
                #expect(StorageFixture.json(response.body)["crc32c"] != nil)
            }
            try await client.execute(
                uri: "/download/storage/v1/b/uploads/o/big.bin?alt=media", method: .get,
                headers: [.range: "bytes=10-19"]
            ) { response in
                #expect(response.status == .partialContent)
                #expect(Array(response.body.readableBytesView) == Array(bytes[10..<20]))
                #expect(response.headers[.contentRange] == "bytes 10-19/3000")
            }
        }
    }

    /// Starts a resumable upload of `object` into bucket `uploads`; returns the session's path.
    static func startResumableUpload(_ client: some TestClientProtocol, object: String) async throws -> String {
        let location = try await client.execute(
            uri: "/upload/storage/v1/b/uploads/o?uploadType=resumable", method: .post,
            headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"name": "\#(object)"}"#)
        ) { $0.headers[.location] ?? "" }
        return String(location.dropFirst("http://localhost".count))
    }

    @Test(
        "a resumable chunk whose body differs from its range, or a total the upload does not hold, is refused",
        arguments: [
            ("bytes 5-9/10", "abcdefgh"),  // more bytes than the range names
            ("bytes 5-9/10", "abc"),  // fewer
            ("bytes 5-9/7", "abcde"),  // a range past the total
            ("bytes */3", ""),  // a total smaller than what was received
            ("bytes 5-9/+10", "abcde"),  // not a number
            ("bytes 9-5/10", "abcde"),  // backwards
            ("bytes */*", "abcde"),  // bytes without a range
        ])
    func resumableChunksMustMatchTheirRange(_ contentRange: String, _ body: String) async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            let path = try await Self.startResumableUpload(client, object: "x.bin")
            try await client.execute(
                uri: path, method: .put, headers: [.contentRange: "bytes 0-4/*"], body: ByteBuffer(string: "01234")
            ) { #expect($0.status.code == 308) }
            try await client.execute(
                uri: path, method: .put, headers: [.contentRange: contentRange], body: ByteBuffer(string: body)
            ) { #expect(StorageFixture.errorStatus($0.body) == "INVALID_ARGUMENT") }
            try await client.execute(uri: "/storage/v1/b/uploads/o/x.bin", method: .get) {
                #expect($0.status == .notFound)
            }
            try await client.execute(
                uri: path, method: .put, headers: [.contentRange: "bytes 5-9/10"], body: ByteBuffer(string: "56789")
            ) { response in
                #expect(response.status == .ok)
                #expect(StorageFixture.json(response.body)["size"] as? String == "10")
            }
        }
    }

    @Test("a resumable PUT without Content-Range is the whole object in one request")
    func resumablePutWithoutARangeIsTheWholeObject() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            let path = try await Self.startResumableUpload(client, object: "one.bin")
            try await client.execute(uri: path, method: .put, body: ByteBuffer(string: "hello")) { response in
                #expect(response.status == .ok)
                #expect(StorageFixture.json(response.body)["size"] as? String == "5")
            }
        }
    }

    @Test(
        "a Range is served, refused with 416 when unsatisfiable, and ignored when it is not a range",
        arguments: [
            ("ten.bin", "bytes=-3", 206, "789"),
            ("ten.bin", "bytes=2-4", 206, "234"),
            ("ten.bin", "bytes=8-", 206, "89"),
            ("ten.bin", "bytes=+1-2", 200, "0123456789"),
            ("ten.bin", "bytes=1-x", 200, "0123456789"),
            ("ten.bin", "bytes=10-", 416, ""),
            ("empty.bin", "bytes=-5", 416, ""),
            ("empty.bin", "bytes=0-", 416, ""),
        ])
    func rangesAreServedRefusedOrIgnored(_ object: String, _ range: String, _ status: Int, _ body: String)
        async throws
    {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            for (name, bytes) in [("ten.bin", "0123456789"), ("empty.bin", "")] {
                try await client.execute(
                    uri: "/upload/storage/v1/b/uploads/o?uploadType=media&name=\(name)", method: .post,
                    body: ByteBuffer(string: bytes)
                ) { #expect($0.status == .ok) }
            }
            try await client.execute(
                uri: "/download/storage/v1/b/uploads/o/\(object)?alt=media", method: .get, headers: [.range: range]
            ) { response in
                #expect(response.status.code == status)
                if status != 416 { #expect(String(buffer: response.body) == body) }
            }
        }
    }

    @Test("names that differ only in Unicode normalization are two objects, each read back and listed in byte order")
    func namesAreBytes() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            for (name, bytes) in [("caf%C3%A9", "composed"), ("cafe%CC%81", "decomposed")] {
                try await client.execute(
                    uri: "/upload/storage/v1/b/uploads/o?uploadType=media&name=\(name)", method: .post,
                    body: ByteBuffer(string: bytes)
                ) { #expect($0.status == .ok) }
            }
            for (name, bytes) in [("caf%C3%A9", "composed"), ("cafe%CC%81", "decomposed")] {
                try await client.execute(uri: "/storage/v1/b/uploads/o/\(name)?alt=media", method: .get) { response in
                    #expect(String(buffer: response.body) == bytes)
                }
            }
            try await client.execute(uri: "/storage/v1/b/uploads/o", method: .get) { response in
                let items = StorageFixture.json(response.body)["items"] as? [[String: Any]] ?? []
                let names = items.compactMap { $0["name"] as? String }.map { Array($0.utf8) }
                #expect(names == [Array("cafe\u{301}".utf8), Array("caf\u{E9}".utf8)])
            }
        }
    }

    @Test("listing rolls names up to prefixes with a delimiter and pages with an opaque token")
    func listingWithDelimiterAndPages() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        for name in ["a.txt", "b.txt", "dir/one.txt", "dir/two.txt"] {
            try await fixture.storage.upload(bucket: "uploads", object: name, bytes: [1])
        }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/storage/v1/b/uploads/o?delimiter=%2F", method: .get) { response in
                let page = StorageFixture.json(response.body)
                #expect(
                    (page["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["a.txt", "b.txt"])
                #expect(page["prefixes"] as? [String] == ["dir/"])
            }
            let token = try await client.execute(uri: "/storage/v1/b/uploads/o?maxResults=3", method: .get) {
                response in
                StorageFixture.json(response.body)["nextPageToken"] as? String
            }
            let next = try #require(token).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            try await client.execute(uri: "/storage/v1/b/uploads/o?maxResults=3&pageToken=\(next)", method: .get) {
                response in
                let items = StorageFixture.json(response.body)["items"] as? [[String: Any]]
                #expect(items?.compactMap { $0["name"] as? String } == ["dir/two.txt"])
            }
        }
    }

    @Test("a page token no listing returned is INVALID_ARGUMENT, not a listing from the start")
    func unknownPageTokenIsRefused() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.storage.upload(bucket: "uploads", object: "a.txt", bytes: [1])
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/storage/v1/b/uploads/o?pageToken=%21%21not-a-token", method: .get) {
                response in
                #expect(response.status == .badRequest)
                #expect(StorageFixture.errorStatus(response.body) == "INVALID_ARGUMENT")
            }
        }
    }

    @Test("a metadata patch bumps the metageneration, a null removes a key, and a failed precondition is 412")
    func patchAndPreconditions() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        let object = try await fixture.storage.upload(
            bucket: "uploads", object: "cat.png", bytes: [1], customMetadata: ["a": "1", "b": "2"])
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/storage/v1/b/uploads/o/cat.png", method: .patch,
                body: ByteBuffer(string: #"{"metadata": {"a": null, "c": "3"}}"#)
            ) { response in
                let patched = StorageFixture.json(response.body)
                #expect(patched["metageneration"] as? String == "2")
                #expect(patched["metadata"] as? [String: String] == ["b": "2", "c": "3"])
            }
            try await client.execute(
                uri: "/storage/v1/b/uploads/o/cat.png?ifGenerationMatch=\(object.generation + 1)", method: .delete
            ) { response in
                #expect(response.status == .preconditionFailed)
            }
            try await client.execute(
                uri: "/storage/v1/b/uploads/o/cat.png?ifGenerationMatch=\(object.generation)", method: .delete
            ) { response in
                #expect(response.status == .noContent)
            }
        }
    }

    @Test(
        "bad names, unknown buckets and path traversal get Google errors and store nothing",
        arguments: [
            ("/upload/storage/v1/b/uploads/o?uploadType=media&name=..", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/uploads/o?uploadType=media&name=a%0Ab", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/uploads/o?uploadType=media&name=..%2F..%2Fetc%2Fpasswd", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/uploads/o?uploadType=media&name=%2Fetc%2Fpasswd", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/uploads/o?uploadType=media&name=a%00b", "INVALID_ARGUMENT"),
            (
                "/upload/storage/v1/b/uploads/o?uploadType=media&name=" + String(repeating: "x", count: 1_025),
                "INVALID_ARGUMENT"
            ),
            ("/upload/storage/v1/b/uploads/o?uploadType=resumable&name=a%2F..%2F..%2Fb", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/uploads/o?uploadType=media&name=%ff%fe", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/uploads/o?uploadType=media&name=%ed%a0%80", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/uploads/o?uploadType=media&name=%c0%ae%c0%ae/x", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/uploads/o?uploadType=media&name=a%zzb", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/uploads/o?uploadType=resumable&name=%ff", "INVALID_ARGUMENT"),
            ("/upload/storage/v1/b/nope/o?uploadType=media&name=x", "NOT_FOUND"),
            ("/upload/storage/v1/b/uploads/o?uploadType=weird&name=x", "INVALID_ARGUMENT"),
        ])
    func badUploadsAreRefused(_ uri: String, _ status: String) async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        let head = await fixture.log.headPosition()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: "x")) { response in
                #expect(StorageFixture.errorStatus(response.body) == status)
            }
        }
        #expect(await fixture.log.headPosition() == head)
    }

    @Test("an object stored under a name that uploads now refuse stays readable and deletable")
    func legacyObjectNamesStayReachable() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        let stored = try await LocalObjectStore(directory: fixture.directory).write(Array("old".utf8))
        _ = try await fixture.storage.finalize(
            try BucketName("uploads"), try ObjectName("../legacy"), stored, "text/plain", [:], .none, .empty)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/storage/v1/b/uploads/o/..%2Flegacy?alt=media", method: .get) { response in
                #expect(String(buffer: response.body) == "old")
            }
            try await client.execute(uri: "/storage/v1/b/uploads/o/..%2Flegacy", method: .delete) { response in
                #expect(response.status == .noContent)
            }
        }
    }

    @Test("an upload body over the limit is 413, with Google's too-large-payload message")
    func oversizedBodyIs413() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=media&name=big", method: .post,
                body: ByteBuffer(repeating: 1, count: (1 << 20) + 1)
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(
                    (APIFixture.error(response.body)["message"] as? String)?.hasPrefix(
                        "Request payload size exceeds the limit: 1048576 bytes.") == true)
            }
        }
    }

    @Test("buckets and notification configs round-trip in the JSON API's shapes")
    func bucketsAndNotifications() async throws {
        let fixture = try StorageFixture()
        try await PubSubService(log: fixture.log).createTopic("changes")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/storage/v1/b?project=p", method: .post, body: ByteBuffer(string: #"{"name": "uploads"}"#)
            ) { response in
                #expect(StorageFixture.json(response.body)["name"] as? String == "uploads")
            }
            try await client.execute(
                uri: "/storage/v1/b?project=p", method: .post, body: ByteBuffer(string: #"{"name": "uploads"}"#)
            ) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(
                uri: "/storage/v1/b/uploads/notificationConfigs", method: .post,
                body: ByteBuffer(
                    string:
                        #"{"topic":"//pubsub.googleapis.com/projects/p/topics/changes","payload_format":"JSON_API_V1","event_types":["OBJECT_FINALIZE"]}"#
                )
            ) { response in
                let config = StorageFixture.json(response.body)
                #expect(config["id"] as? String == "1")
                #expect(config["topic"] as? String == "//pubsub.googleapis.com/projects/sluice-local/topics/changes")
            }
            try await client.execute(uri: "/storage/v1/b/uploads/notificationConfigs", method: .get) { response in
                #expect((StorageFixture.json(response.body)["items"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/storage/v1/b/uploads/notificationConfigs/1", method: .delete) {
                response in
                #expect(response.status == .noContent)
            }
        }
    }
}

enum StorageHTTPTestNames {
    static let hash = HTTPFields.Element.Name("x-goog-hash")!
    static let generation = HTTPFields.Element.Name("x-goog-generation")!
}
