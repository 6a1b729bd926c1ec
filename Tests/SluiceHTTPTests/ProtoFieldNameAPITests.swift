import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Request bodies may name fields by their proto names (snake_case), as Google's proto3 JSON parsers accept")
struct ProtoFieldNameAPITests {
    static let project = PubSubAPITests.project

    @Test("a subscription PATCH in proto field names sets the field its update_mask names")
    func subscriptionPatchInProtoNames() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(string: #"{"topic": "projects/p/topics/jobs", "ackDeadlineSeconds": 20}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .patch,
                body: ByteBuffer(
                    string: #"{"subscription": {"ack_deadline_seconds": 30}, "update_mask": "ack_deadline_seconds"}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: Self.project + "/subscriptions/watch", method: .get) { response in
                #expect(StorageFixture.json(response.body)["ackDeadlineSeconds"] as? Int == 30)
            }
        }
    }

    @Test("a subscription created with proto field names has those values, nested ones too")
    func subscriptionCreateInProtoNames() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(
                    string: #"""
                        {"topic": "projects/p/topics/jobs", "ack_deadline_seconds": 30,
                         "retry_policy": {"minimum_backoff": "5s"}, "enable_message_ordering": true}
                        """#)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: Self.project + "/subscriptions/watch", method: .get) { response in
                let json = StorageFixture.json(response.body)
                #expect(json["ackDeadlineSeconds"] as? Int == 30)
                #expect((json["retryPolicy"] as? [String: Any])?["minimumBackoff"] as? String == "5s")
                #expect(json["enableMessageOrdering"] as? Bool == true)
            }
        }
    }

    @Test("a field given under both its names is INVALID_ARGUMENT")
    func fieldUnderBothNamesIsRefused() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(
                    string:
                        #"{"topic": "projects/p/topics/jobs", "ackDeadlineSeconds": 20, "ack_deadline_seconds": 30}"#
                )
            ) { response in
                #expect(response.status == .badRequest)
                #expect(StorageFixture.errorStatus(response.body) == "INVALID_ARGUMENT")
            }
        }
    }

    @Test("a published message's ordering_key is its ordering key")
    func publishOrderingKeyInProtoName() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(string: #"{"topic": "projects/p/topics/jobs", "enableMessageOrdering": true}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: Self.project + "/topics/jobs:publish", method: .post,
                body: ByteBuffer(string: #"{"messages": [{"data": "aGVsbG8=", "ordering_key": "k1"}]}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:pull", method: .post,
                body: ByteBuffer(string: #"{"maxMessages": 10}"#)
            ) { response in
                let received = StorageFixture.json(response.body)["receivedMessages"] as? [[String: Any]]
                #expect((received?.first?["message"] as? [String: Any])?["orderingKey"] as? String == "k1")
            }
        }
    }

    @Test("a workflow PATCH with source_contents and updateMask=source_contents deploys the new source")
    func workflowPatchInProtoNames() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            let tripling = APIFixture.tripling.replacingOccurrences(of: "sourceContents", with: "source_contents")
            try await client.execute(
                uri: APIFixture.base + "/workflows/double?updateMask=source_contents", method: .patch,
                body: ByteBuffer(string: tripling)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: APIFixture.base + "/workflows/double", method: .get) { response in
                #expect((APIFixture.json(response.body)["sourceContents"] as? String)?.contains("* 3") == true)
            }
        }
    }
}
