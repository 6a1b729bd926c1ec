import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceHTTP
import SluiceLog
import Testing

@Suite("Workflows v1 deletes workflows and lists their revisions as Google's API does")
struct WorkflowRevisionsAPITests {
    static let workflow = APIFixture.base + "/workflows/double"

    /// Deploys `double` twice: revision 1 doubles, revision 2 triples.
    private func deployTwice(_ client: some TestClientProtocol) async throws {
        try await APIFixture.deployDoubling(client)
        try await client.execute(uri: Self.workflow, method: .patch, body: ByteBuffer(string: APIFixture.tripling)) {
            #expect($0.status == .ok)
        }
    }

    @Test("deleting a workflow returns a done operation whose response is Empty, and the workflow is then gone")
    func deleteReturnsDoneOperation() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await deployTwice(client)
            let name = try await client.execute(uri: Self.workflow, method: .delete) { response in
                #expect(response.status == .ok)
                let operation = APIFixture.json(response.body)
                #expect(operation["done"] as? Bool == true)
                #expect(
                    (operation["response"] as? [String: Any])?["@type"] as? String
                        == "type.googleapis.com/google.protobuf.Empty")
                #expect((operation["metadata"] as? [String: Any])?["verb"] as? String == "delete")
                return operation["name"] as? String ?? ""
            }
            try await client.execute(uri: "/v1/" + name, method: .get) { response in
                #expect(response.status == .ok, "the operation can be polled")
                #expect(APIFixture.json(response.body)["done"] as? Bool == true)
            }
            try await client.execute(uri: Self.workflow, method: .get) { response in
                #expect(response.status == .notFound)
                #expect(APIFixture.error(response.body)["status"] as? String == "NOT_FOUND")
            }
            try await client.execute(uri: APIFixture.base + "/workflows", method: .get) { response in
                #expect((APIFixture.json(response.body)["workflows"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test("a deleted workflow starts no execution")
    func deletedWorkflowStartsNothing() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await deployTwice(client)
            try await client.execute(uri: Self.workflow, method: .delete) { _ in }
            try await client.execute(uri: Self.workflow + "/executions", method: .post) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a deleted workflow can be created again, continuing the revision numbers")
    func deletedWorkflowCanBeCreatedAgain() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await deployTwice(client)
            try await client.execute(uri: Self.workflow, method: .delete) { _ in }
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=double", method: .post,
                body: ByteBuffer(string: APIFixture.doubling)
            ) { response in
                #expect(response.status == .ok)
                let workflow = APIFixture.json(response.body)["response"] as? [String: Any]
                #expect(workflow?["revisionId"] as? String == "000004-000")
            }
            try await client.execute(uri: Self.workflow + ":listRevisions", method: .get) { response in
                #expect((APIFixture.json(response.body)["workflows"] as? [Any])?.count == 1)
            }
        }
    }

    @Test("deleting a workflow that does not exist is NOT_FOUND")
    func deletingUnknownIsNotFound() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: Self.workflow, method: .delete) { response in
                #expect(response.status == .notFound)
                #expect(APIFixture.error(response.body)["status"] as? String == "NOT_FOUND")
            }
        }
        #expect(await fixture.log.headPosition() == 0)
    }

    @Test(":listRevisions lists every revision, newest first")
    func listRevisionsNewestFirst() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await deployTwice(client)
            try await client.execute(uri: Self.workflow + ":listRevisions", method: .get) { response in
                #expect(response.status == .ok)
                let revisions = APIFixture.json(response.body)["workflows"] as? [[String: Any]] ?? []
                #expect(revisions.map { $0["revisionId"] as? String } == ["000002-000", "000001-000"])
                #expect((revisions.last?["sourceContents"] as? String)?.contains("args.n * 2") == true)
            }
        }
    }

    @Test(":listRevisions pages with pageSize and nextPageToken")
    func listRevisionsPages() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await deployTwice(client)
            let token = try await client.execute(uri: Self.workflow + ":listRevisions?pageSize=1", method: .get) {
                response in
                let body = APIFixture.json(response.body)
                #expect((body["workflows"] as? [Any])?.count == 1)
                return body["nextPageToken"] as? String ?? ""
            }
            try await client.execute(
                uri: Self.workflow + ":listRevisions?pageSize=1&pageToken=\(token)", method: .get
            ) { response in
                let body = APIFixture.json(response.body)
                #expect((body["workflows"] as? [[String: Any]])?.first?["revisionId"] as? String == "000001-000")
                #expect(body["nextPageToken"] == nil)
            }
        }
    }

    @Test("get with revisionId returns that revision's source")
    func getWithRevisionID() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await deployTwice(client)
            try await client.execute(uri: Self.workflow + "?revisionId=000001-000", method: .get) { response in
                let workflow = APIFixture.json(response.body)
                #expect(workflow["revisionId"] as? String == "000001-000")
                #expect((workflow["sourceContents"] as? String)?.contains("args.n * 2") == true)
            }
            try await client.execute(uri: Self.workflow + "?revisionId=000009-000", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: Self.workflow + "?revisionId=latest-ish", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("a PATCH whose updateMask names a field a Workflow does not have is INVALID_ARGUMENT naming it")
    func unknownMaskFieldIsRefused() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            try await client.execute(
                uri: Self.workflow + "?updateMask=sourceContents,bogusField", method: .patch,
                body: ByteBuffer(string: APIFixture.tripling)
            ) { response in
                APIFixture.expectInvalidArgument(response)
                #expect((APIFixture.error(response.body)["message"] as? String)?.contains("bogusField") == true)
            }
            try await client.execute(uri: Self.workflow, method: .get) { response in
                #expect(APIFixture.json(response.body)["revisionId"] as? String == "000001-000")
            }
        }
    }
}
