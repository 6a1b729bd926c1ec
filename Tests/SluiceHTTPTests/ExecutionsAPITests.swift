import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceCore
import SluiceEngine
import SluiceHTTP
import Testing

@Suite("The Executions API reads, lists and cancels executions as Google's does")
struct ExecutionsAPITests {
    @Test("an execution read or cancelled through another workflow's path is NOT_FOUND and stays as it was")
    func executionOfAnotherWorkflowIsNotFound() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=triple", method: .post,
                body: ByteBuffer(string: APIFixture.tripling)
            ) { #expect($0.status == .ok) }
            let name = try await Self.create(client, workflow: "double", argument: 1)
            let id = String(name.split(separator: "/").last ?? "")
            let foreign = APIFixture.base + "/workflows/triple/executions/" + id
            for (uri, method) in [(foreign, HTTPRequest.Method.get), (foreign + ":cancel", .post)] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == .notFound)
                    #expect(APIFixture.error(response.body)["status"] as? String == "NOT_FOUND")
                }
            }
            try await client.execute(uri: "/v1/" + name, method: .get) { response in
                #expect(APIFixture.json(response.body)["state"] as? String == "ACTIVE")
            }
        }
    }

    @Test("an execution is read through the workflow wildcard '-', as sluice --server reads it")
    func executionIsReadThroughTheWildcard() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            let name = try await Self.create(client, workflow: "double", argument: 1)
            let id = String(name.split(separator: "/").last ?? "")
            try await client.execute(uri: APIFixture.base + "/workflows/-/executions/" + id, method: .get) { response in
                #expect(response.status == .ok)
                #expect(APIFixture.json(response.body)["name"] as? String == name)
            }
        }
    }

    /// Creates an execution of `workflow` with argument `{"n": n}` and returns its name.
    static func create(_ client: some TestClientProtocol, workflow: String, argument n: Int) async throws -> String {
        try await client.execute(
            uri: APIFixture.base + "/workflows/\(workflow)/executions", method: .post,
            body: ByteBuffer(string: #"{"argument": "{\"n\": \#(n)}"}"#)
        ) { APIFixture.json($0.body)["name"] as? String ?? "" }
    }
}
