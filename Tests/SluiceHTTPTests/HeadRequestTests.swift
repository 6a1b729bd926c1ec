import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("HEAD is answered as GET without a body")
struct HeadRequestTests {
    @Test("HEAD of an object's metadata has GET's status and length and no body, and the connection stays usable")
    func headOfObjectMetadata() async throws {
        let fixture = try StorageFixture()
        try await fixture.app().test(.live) { client in
            try await client.execute(
                uri: "/storage/v1/b?project=p", method: .post, body: ByteBuffer(string: #"{"name": "uploads"}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=media&name=a.txt", method: .post,
                body: ByteBuffer(string: "hello")
            ) { #expect($0.status == .ok) }
            let length = try await client.execute(uri: "/storage/v1/b/uploads/o/a.txt", method: .get) {
                $0.body.readableBytes
            }
            try await client.execute(uri: "/storage/v1/b/uploads/o/a.txt", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == String(length))
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/storage/v1/b/uploads/o/a.txt?alt=media", method: .get) { response in
                #expect(String(buffer: response.body) == "hello")
            }
        }
    }

    @Test("HEAD of a path that has no GET is refused as its GET is, 405 with the allowed methods")
    func headOfPathWithoutGet() async throws {
        let fixture = try StorageFixture()
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/upload/storage/v1/b/uploads/o", method: .head) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] != nil)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect(String(buffer: $0.body) == "ok") }
        }
    }
}
