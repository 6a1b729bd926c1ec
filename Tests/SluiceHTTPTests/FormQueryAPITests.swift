import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceResources
import Testing

@Suite("A + in a query string is a space, as Google's front ends and Python's requests read it")
struct FormQueryAPITests {
    @Test("an executions filter written with + for its spaces selects what it says")
    func plusInFilterIsASpace() async throws {
        try await ListedExecutions().test { client, names in
            let query = "filter=state%3D%22SUCCEEDED%22+AND+state%21%3D%22FAILED%22"
            try await client.execute(uri: APIFixture.base + "/workflows/double/executions?" + query, method: .get) {
                response in
                #expect(response.status == .ok)
                let listed = (APIFixture.json(response.body)["executions"] as? [[String: Any]] ?? [])
                    .compactMap { $0["name"] as? String }
                #expect(listed == [names[2], names[0]])
            }
        }
    }

    @Test("an executions orderBy written as endTime+desc orders by end time, newest first")
    func plusInOrderByIsASpace() async throws {
        try await ListedExecutions().test { client, names in
            try await client.execute(
                uri: APIFixture.base + "/workflows/double/executions?orderBy=endTime+desc", method: .get
            ) { response in
                #expect(response.status == .ok)
                let listed = (APIFixture.json(response.body)["executions"] as? [[String: Any]] ?? [])
                    .compactMap { $0["name"] as? String }
                #expect(listed == [3, 1, 0, 2].map { names[$0] })
            }
        }
    }

    @Test("an object list prefix written with + matches the names with a space, not those with a plus")
    func plusInPrefixIsASpace() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        for name in ["my file.txt", "my+file.txt"] {
            try await fixture.storage.upload(bucket: "uploads", object: name, bytes: [1])
        }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/storage/v1/b/uploads/o?prefix=my+file", method: .get) { response in
                let items = StorageFixture.json(response.body)["items"] as? [[String: Any]] ?? []
                #expect(items.compactMap { $0["name"] as? String } == ["my file.txt"])
            }
        }
    }

    @Test("a media upload named with + for a space stores the name with a space")
    func plusInUploadNameIsASpace() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=media&name=sp+ace.txt", method: .post,
                body: ByteBuffer(string: "x")
            ) { response in
                #expect(response.status == .ok)
                #expect(StorageFixture.json(response.body)["name"] as? String == "sp ace.txt")
            }
        }
    }

    @Test("a plus written as %2B stays a plus")
    func encodedPlusStaysAPlus() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/upload/storage/v1/b/uploads/o?uploadType=media&name=a%2Bb+c.txt", method: .post,
                body: ByteBuffer(string: "x")
            ) { response in
                #expect(response.status == .ok)
                #expect(StorageFixture.json(response.body)["name"] as? String == "a+b c.txt")
            }
        }
    }
}
