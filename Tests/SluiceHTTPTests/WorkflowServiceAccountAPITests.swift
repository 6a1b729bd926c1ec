import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceEngine
import SluiceHTTP
import SluiceLog
import Testing

@Suite("A workflow's service account is set, shown and patched as in the Workflows API")
struct WorkflowServiceAccountAPITests {
    static let account = "runner@demo.iam.gserviceaccount.com"

    static func body(_ fields: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: fields)) ?? Data())
    }

    static func create(_ client: some TestClientProtocol, serviceAccount: String? = nil) async throws {
        var fields: [String: Any] = ["sourceContents": "main:\n  steps:\n    - r:\n        return: 1\n"]
        fields["serviceAccount"] = serviceAccount
        try await client.execute(
            uri: APIFixture.base + "/workflows?workflowId=acting", method: .post, body: body(fields)
        ) { response in #expect(response.status == .ok) }
    }

    static func workflow(_ client: some TestClientProtocol) async throws -> [String: Any] {
        try await client.execute(uri: APIFixture.base + "/workflows/acting", method: .get) { response in
            APIFixture.json(response.body)
        }
    }

    @Test("a workflow created with a service account shows it and keeps it when only its source is patched")
    func accountIsKeptAcrossASourcePatch() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await Self.create(client, serviceAccount: "projects/demo/serviceAccounts/\(Self.account)")
            #expect(
                try await Self.workflow(client)["serviceAccount"] as? String
                    == "projects/demo/serviceAccounts/\(Self.account)")
            try await client.execute(
                uri: APIFixture.base + "/workflows/acting", method: .patch,
                body: Self.body(["sourceContents": "main:\n  steps:\n    - r:\n        return: 2\n"])
            ) { response in #expect(response.status == .ok) }
            let patched = try await Self.workflow(client)
            #expect(patched["revisionId"] as? String == "000002-000")
            #expect(patched["serviceAccount"] as? String == "projects/demo/serviceAccounts/\(Self.account)")
        }
        #expect(try await fixture.catalog.serviceAccount(of: "acting", revision: 2) == Self.account)
    }

    @Test("without a service account the workflow runs as Sluice's default account")
    func defaultAccount() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await Self.create(client)
            #expect(
                try await Self.workflow(client)["serviceAccount"] as? String
                    == "projects/demo/serviceAccounts/\(WorkflowCatalog.defaultServiceAccount)")
        }
        #expect(
            try await fixture.catalog.serviceAccount(of: "acting", revision: 1) == WorkflowCatalog.defaultServiceAccount
        )
    }

    @Test("a patch with updateMask=serviceAccount changes only the account, as a new revision")
    func maskedPatchChangesOnlyTheAccount() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await Self.create(client)
            try await client.execute(
                uri: APIFixture.base + "/workflows/acting?updateMask=serviceAccount", method: .patch,
                body: Self.body(["serviceAccount": Self.account, "sourceContents": "ignored: not in the mask"])
            ) { response in #expect(response.status == .ok) }
            let patched = try await Self.workflow(client)
            #expect(patched["revisionId"] as? String == "000002-000")
            #expect((patched["sourceContents"] as? String)?.contains("return: 1") == true)
        }
        #expect(try await fixture.catalog.serviceAccount(of: "acting", revision: 2) == Self.account)
        #expect(
            try await fixture.catalog.serviceAccount(of: "acting", revision: 1) == WorkflowCatalog.defaultServiceAccount
        )
    }

    @Test("a service account that is not an email, or not a string, is refused with INVALID_ARGUMENT")
    func badAccountIsRefused() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            for account: Any in ["not-an-email", "a@b/../c", 42] {
                try await client.execute(
                    uri: APIFixture.base + "/workflows?workflowId=acting", method: .post,
                    body: Self.body([
                        "sourceContents": "main:\n  steps:\n    - r:\n        return: 1\n", "serviceAccount": account,
                    ])
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(APIFixture.error(response.body)["status"] as? String == "INVALID_ARGUMENT")
                }
            }
        }
        #expect(await fixture.log.headPosition() == 0)
    }
}
