import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLog
import Testing

@Suite("The Workflows and Executions APIs answer as Google's do")
struct WorkflowsAPITests {
    @Test("creating a workflow returns a finished operation holding the workflow")
    func createReturnsDoneOperation() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=double", method: .post,
                body: ByteBuffer(string: APIFixture.doubling)
            ) { response in
                #expect(response.status == .ok)
                let operation = APIFixture.json(response.body)
                #expect(operation["done"] as? Bool == true)
                let workflow = operation["response"] as? [String: Any]
                #expect(workflow?["name"] as? String == "projects/demo/locations/local/workflows/double")
                #expect(workflow?["revisionId"] as? String == "000001-000")
            }
            try await client.execute(uri: APIFixture.base + "/workflows/double", method: .get) { response in
                #expect(APIFixture.json(response.body)["state"] as? String == "ACTIVE")
            }
            try await client.execute(uri: APIFixture.base + "/workflows", method: .get) { response in
                #expect((APIFixture.json(response.body)["workflows"] as? [Any])?.count == 1)
            }
        }
    }

    @Test("a definition that does not validate is refused with INVALID_ARGUMENT and nothing is stored")
    func invalidDefinitionIsRefused() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=bad", method: .post,
                body: ByteBuffer(string: #"{"sourceContents": "- a:\n    nope: 1\n"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let error = APIFixture.json(response.body)["error"] as? [String: Any]
                #expect(error?["status"] as? String == "INVALID_ARGUMENT")
                #expect(error?["code"] as? Int == 400)
            }
        }
        #expect(await fixture.log.headPosition() == 0)
    }

    @Test("creating a workflow that exists is ALREADY_EXISTS and records no revision")
    func createExistingIsRefused() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            for expected in [HTTPResponse.Status.ok, .conflict] {
                try await client.execute(
                    uri: APIFixture.base + "/workflows?workflowId=double", method: .post,
                    body: ByteBuffer(string: APIFixture.tripling)
                ) { response in #expect(response.status == expected) }
            }
        }
        #expect(await fixture.log.headPosition() == 1)
    }

    @Test("an execution is created ACTIVE and reads SUCCEEDED with its result once it has run")
    func executionLifecycle() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=double", method: .post,
                body: ByteBuffer(string: APIFixture.doubling)
            ) { _ in }
            let name = try await client.execute(
                uri: APIFixture.base + "/workflows/double/executions", method: .post,
                body: ByteBuffer(string: #"{"argument": "{\"n\": 21}"}"#)
            ) { response in
                let execution = APIFixture.json(response.body)
                #expect(execution["state"] as? String == "ACTIVE")
                #expect(execution["argument"] as? String == #"{"n":21}"#)
                return execution["name"] as? String ?? ""
            }
            let id = try ExecutionID(String(name.split(separator: "/").last ?? ""))
            _ = try await fixture.runner.run(id)
            try await client.execute(uri: "/v1/" + name, method: .get) { response in
                let execution = APIFixture.json(response.body)
                #expect(execution["state"] as? String == "SUCCEEDED")
                #expect(execution["result"] as? String == "42")
            }
            try await client.execute(uri: APIFixture.base + "/workflows/double/executions?pageSize=10", method: .get) {
                response in
                #expect((APIFixture.json(response.body)["executions"] as? [Any])?.count == 1)
            }
        }
    }

    @Test("executions are listed newest first, a page at a time with nextPageToken")
    func executionsListNewestFirst() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=double", method: .post,
                body: ByteBuffer(string: APIFixture.doubling)
            ) { _ in }
            var created: [String] = []
            for n in 0..<5 {
                created.append(
                    try await client.execute(
                        uri: APIFixture.base + "/workflows/double/executions", method: .post,
                        body: ByteBuffer(string: #"{"argument": "{\"n\": \#(n)}"}"#)
                    ) { APIFixture.json($0.body)["name"] as? String ?? "" })
            }
            var listed: [String] = []
            var token = ""
            for _ in 0..<5 {
                let page = try await client.execute(
                    uri: APIFixture.base + "/workflows/double/executions?pageSize=2&pageToken=\(token)", method: .get
                ) { APIFixture.json($0.body) }
                listed += (page["executions"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                guard let next = page["nextPageToken"] as? String else { break }
                token = next
            }
            #expect(listed == created.reversed())
        }
    }

    @Test(
        "a page size or token that is not one this server would accept is INVALID_ARGUMENT",
        arguments: [
            "/workflows/double/executions?pageToken=zzz", "/workflows/double/executions?pageSize=-1",
            "/workflows/double/executions?pageSize=ten", "/workflows/double:listRevisions?pageToken=-4",
        ])
    func badPagingIsRefused(_ path: String) async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            try await client.execute(uri: APIFixture.base + path, method: .get) { response in
                APIFixture.expectInvalidArgument(response)
            }
        }
    }

    @Test("a page size of 0 means the default and one past the maximum is lowered to it, as Google does")
    func zeroAndHugePageSizesAreAccepted() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            for size in ["0", "5000"] {
                try await client.execute(
                    uri: APIFixture.base + "/workflows/double/executions?pageSize=\(size)", method: .get
                ) { #expect($0.status == .ok) }
            }
        }
    }

    @Test("cancelling an active execution makes it CANCELLED")
    func cancelMakesItCancelled() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=double", method: .post,
                body: ByteBuffer(string: APIFixture.doubling)
            ) { _ in }
            let name = try await client.execute(uri: APIFixture.base + "/workflows/double/executions", method: .post) {
                response in
                APIFixture.json(response.body)["name"] as? String ?? ""
            }
            try await client.execute(uri: "/v1/" + name + ":cancel", method: .post) { response in
                #expect(APIFixture.json(response.body)["state"] as? String == "CANCELLED")
            }
        }
    }

    @Test("an unknown execution is NOT_FOUND in Google's error format")
    func unknownExecutionIsNotFound() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: APIFixture.base + "/workflows/double/executions/nope", method: .get) {
                response in
                #expect(response.status == .notFound)
                let error = APIFixture.json(response.body)["error"] as? [String: Any]
                #expect(error?["status"] as? String == "NOT_FOUND")
            }
        }
    }

    @Test("an argument of null is absent, as proto3 JSON writes an unset field")
    func aNullArgumentIsAbsent() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            try await client.execute(
                uri: APIFixture.base + "/workflows/double/executions", method: .post,
                body: ByteBuffer(string: #"{"argument": null}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(APIFixture.json(response.body)["argument"] as? String == "null", "as with no argument at all")
            }
        }
    }

    @Test("an argument that is not a JSON string is refused with INVALID_ARGUMENT")
    func badArgumentIsRefused() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=double", method: .post,
                body: ByteBuffer(string: APIFixture.doubling)
            ) { _ in }
            try await client.execute(
                uri: APIFixture.base + "/workflows/double/executions", method: .post,
                body: ByteBuffer(string: #"{"argument": {"n": 1}}"#)
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
