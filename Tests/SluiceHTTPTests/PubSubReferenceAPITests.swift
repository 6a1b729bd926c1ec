import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Pub/Sub names resources of the request's project only, and lists a topic's subscriptions")
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

    @Test("a topic's subscriptions are listed by name, pageSize at a time, and no other topic's")
    func topicSubscriptionsArePaged() async throws {
        try await PubSubAPITests().withServer { client in
            for topic in ["jobs", "other"] {
                try await client.execute(uri: Self.project + "/topics/" + topic, method: .put) { _ in }
            }
            for (name, topic) in [("sub-c", "jobs"), ("sub-a", "jobs"), ("sub-x", "other"), ("sub-b", "jobs")] {
                _ = try await Self.createSubscription(client, name, #"{"topic": "projects/p/topics/\#(topic)"}"#)
            }
            let first = try await client.execute(
                uri: Self.project + "/topics/jobs/subscriptions?pageSize=2", method: .get
            ) { StorageFixture.json($0.body) }
            #expect(
                first["subscriptions"] as? [String] == [
                    "projects/p/subscriptions/sub-a", "projects/p/subscriptions/sub-b",
                ])
            let token = try #require(first["nextPageToken"] as? String)
            let second = try await client.execute(
                uri: Self.project + "/topics/jobs/subscriptions?pageSize=2&pageToken=" + token, method: .get
            ) { StorageFixture.json($0.body) }
            #expect(second["subscriptions"] as? [String] == ["projects/p/subscriptions/sub-c"])
            #expect(second["nextPageToken"] == nil)
        }
    }

    @Test("a subscription detached by its topic's deletion is not listed under the topic created again")
    func detachedSubscriptionsAreNotListed() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            _ = try await Self.createSubscription(client, "old", #"{"topic": "projects/p/topics/jobs"}"#)
            try await client.execute(uri: Self.project + "/topics/jobs", method: .delete) { _ in }
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            _ = try await Self.createSubscription(client, "new", #"{"topic": "projects/p/topics/jobs"}"#)
            try await client.execute(uri: Self.project + "/topics/jobs/subscriptions", method: .get) { response in
                #expect(
                    StorageFixture.json(response.body)["subscriptions"] as? [String] == ["projects/p/subscriptions/new"]
                )
            }
        }
    }

    @Test("the subscriptions and snapshots of a topic that does not exist are NOT_FOUND")
    func listsOfAMissingTopicAreNotFound() async throws {
        try await PubSubAPITests().withServer { client in
            let subscriptions = try await Self.status(client, "/topics/nope/subscriptions")
            let snapshots = try await Self.status(client, "/topics/nope/snapshots")
            #expect(subscriptions == "NOT_FOUND")
            #expect(snapshots == "NOT_FOUND")
        }
    }

    @Test("a topic's snapshots list is empty: Sluice keeps no snapshots")
    func topicSnapshotsAreEmpty() async throws {
        try await PubSubAPITests().withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(uri: Self.project + "/topics/jobs/snapshots", method: .get) { response in
                #expect(response.status == .ok)
                #expect((StorageFixture.json(response.body)["snapshots"] as? [Any])?.isEmpty == true)
            }
        }
    }
}
