import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Pub/Sub names resources of the request's project only")
struct PubSubReferenceAPITests {
    static let project = PubSubAPITests.project

    /// Creates subscription `name` with this JSON body; returns the status and the body.
    static func createSubscription(_ client: some TestClientProtocol, _ name: String, _ body: String) async throws
        -> (status: HTTPResponse.Status, json: [String: Any])
    {
        try await client.execute(
            uri: project + "/subscriptions/" + name, method: .put, body: ByteBuffer(string: body)
        ) { ($0.status, StorageFixture.json($0.body)) }
    }

    /// The Google error status of the answer to GET `path`.
    static func status(_ client: some TestClientProtocol, _ path: String) async throws -> String? {
        try await client.execute(uri: project + path, method: .get) { StorageFixture.errorStatus($0.body) }
    }

    @Test("a subscription to a topic in another project is INVALID_ARGUMENT and is not created")
    func subscriptionToForeignTopicIsRefused() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/xtop", method: .put) { _ in }
            let created = try await Self.createSubscription(
                client, "watch", #"{"topic": "projects/other/topics/xtop"}"#)
            #expect(created.status == .badRequest)
            #expect((created.json["error"] as? [String: Any])?["status"] as? String == "INVALID_ARGUMENT")
            #expect(try await Self.status(client, "/subscriptions/watch") == "NOT_FOUND")
        }
    }

    @Test("a dead-letter topic in another project is INVALID_ARGUMENT, not the topic of the same name here")
    func foreignDeadLetterTopicIsRefused() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/xtop", method: .put) { _ in }
            let created = try await Self.createSubscription(
                client, "watch",
                #"{"topic": "projects/p/topics/xtop", "deadLetterPolicy": {"deadLetterTopic": "projects/q/topics/xtop"}}"#
            )
            #expect(created.status == .badRequest)
            #expect((created.json["error"] as? [String: Any])?["status"] as? String == "INVALID_ARGUMENT")
            #expect(try await Self.status(client, "/subscriptions/watch") == "NOT_FOUND")
        }
    }

    @Test("a dead-letter topic in another project set by PATCH is INVALID_ARGUMENT and changes nothing")
    func foreignDeadLetterTopicPatchIsRefused() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/xtop", method: .put) { _ in }
            _ = try await Self.createSubscription(client, "watch", #"{"topic": "projects/p/topics/xtop"}"#)
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .patch,
                body: ByteBuffer(
                    string: #"""
                        {"subscription": {"deadLetterPolicy": {"deadLetterTopic": "projects/q/topics/xtop"}},
                         "updateMask": "deadLetterPolicy"}
                        """#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(StorageFixture.errorStatus(response.body) == "INVALID_ARGUMENT")
            }
            try await client.execute(uri: Self.project + "/subscriptions/watch", method: .get) { response in
                #expect(StorageFixture.json(response.body)["deadLetterPolicy"] == nil)
            }
        }
    }
}
