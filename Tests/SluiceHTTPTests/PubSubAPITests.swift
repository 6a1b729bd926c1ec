import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLog
import SluiceResources
import Testing

@Suite("The Pub/Sub REST API publishes, pulls and acknowledges as Pub/Sub v1 does")
struct PubSubAPITests {
    static let project = "/v1/projects/p"

    func withServer(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let log = MemoryEventLog()
        let pubsub = PubSubService(log: log)
        let hub = SubscriptionHub(log: log, pubsub: pubsub, logger: Logger(label: "test"))
        let catalog = WorkflowCatalog(log: log)
        let services = SluiceRouter.Services(
            log: log, catalog: catalog,
            runner: ExecutionRunner(log: log, catalog: catalog, performer: UnroutedEffectPerformer()),
            pubsub: PubSubRoutes(pubsub: pubsub, hub: hub))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await hub.run() }
            try await Application(router: SluiceRouter.make(services)).test(.router, body)
            group.cancelAll()
        }
    }

    @Test("resource names in the path are percent-decoded, as Google decodes them")
    func pathNamesArePercentDecoded() async throws {
        try await withServer { client in
            try await client.execute(uri: Self.project + "/topics/a%2Bb", method: .put) { response in
                #expect(StorageFixture.json(response.body)["name"] as? String == "projects/p/topics/a+b")
            }
            try await client.execute(uri: Self.project + "/topics/a+b", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: Self.project + "/topics/Bad%20Name", method: .put) { response in
                #expect(StorageFixture.errorStatus(response.body) == "INVALID_ARGUMENT")
            }
            try await client.execute(uri: Self.project + "/topics/bad%zz", method: .put) { response in
                #expect(StorageFixture.errorStatus(response.body) == "INVALID_ARGUMENT")
            }
        }
    }

    @Test("a published message is pulled with its data, attributes and id, and acknowledged once")
    func publishPullAcknowledge() async throws {
        try await withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { response in
                #expect(StorageFixture.json(response.body)["name"] as? String == "projects/p/topics/jobs")
            }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(string: #"{"topic": "projects/p/topics/jobs", "ackDeadlineSeconds": 30}"#)
            ) { response in
                #expect(StorageFixture.json(response.body)["ackDeadlineSeconds"] as? Int == 30)
            }
            let ids = try await client.execute(
                uri: Self.project + "/topics/jobs:publish", method: .post,
                body: ByteBuffer(string: #"{"messages": [{"data": "aGVsbG8=", "attributes": {"k": "v"}}]}"#)
            ) { response in StorageFixture.json(response.body)["messageIds"] as? [String] }
            #expect(ids?.count == 1)
            let ackID = try await client.execute(
                uri: Self.project + "/subscriptions/watch:pull", method: .post,
                body: ByteBuffer(string: #"{"maxMessages": 10}"#)
            ) { response -> String? in
                let received = StorageFixture.json(response.body)["receivedMessages"] as? [[String: Any]]
                let message = received?.first?["message"] as? [String: Any]
                #expect(message?["data"] as? String == "aGVsbG8=")
                #expect(message?["attributes"] as? [String: String] == ["k": "v"])
                #expect(message?["messageId"] as? String == ids?.first)
                #expect(received?.first?["deliveryAttempt"] == nil)
                return received?.first?["ackId"] as? String
            }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:acknowledge", method: .post,
                body: ByteBuffer(string: #"{"ackIds": ["\#(ackID ?? "")"]}"#)
            ) { response in #expect(response.status == .ok) }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:pull", method: .post,
                body: ByteBuffer(string: #"{"returnImmediately": true}"#)
            ) { response in #expect(StorageFixture.json(response.body).isEmpty) }
        }
    }

    @Test("a push config's oidcToken is kept and shown; one without a service account email is INVALID_ARGUMENT")
    func pushConfigOIDCToken() async throws {
        try await withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/bad", method: .put,
                body: ByteBuffer(
                    string:
                        #"{"topic": "projects/p/topics/jobs", "pushConfig": {"pushEndpoint": "http://127.0.0.1:1/p", "oidcToken": {"audience": "a"}}}"#
                )
            ) { response in
                #expect(response.status == .badRequest)
                let error = StorageFixture.json(response.body)["error"] as? [String: Any]
                #expect(error?["status"] as? String == "INVALID_ARGUMENT")
            }
            try await client.execute(
                uri: Self.project + "/subscriptions/signed", method: .put,
                body: ByteBuffer(
                    string:
                        #"{"topic": "projects/p/topics/jobs", "pushConfig": {"pushEndpoint": "http://127.0.0.1:1/p", "oidcToken": {"serviceAccountEmail": "s@p.iam.gserviceaccount.com"}}}"#
                )
            ) { response in #expect(response.status == .ok) }
            try await client.execute(uri: Self.project + "/subscriptions/signed", method: .get) { response in
                let push = StorageFixture.json(response.body)["pushConfig"] as? [String: Any]
                let token = push?["oidcToken"] as? [String: Any]
                #expect(token?["serviceAccountEmail"] as? String == "s@p.iam.gserviceaccount.com")
                #expect(token?["audience"] == nil)
            }
            try await client.execute(uri: Self.project + "/subscriptions/bad", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("unknown topics, duplicate topics and bad message data get Google errors")
    func errors() async throws {
        try await withServer { client in
            try await client.execute(
                uri: Self.project + "/topics/missing:publish", method: .post,
                body: ByteBuffer(string: #"{"messages": [{"data": "aGk="}]}"#)
            ) { response in #expect(StorageFixture.errorStatus(response.body) == "NOT_FOUND") }
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { response in
                #expect(StorageFixture.errorStatus(response.body) == "ALREADY_EXISTS")
            }
            try await client.execute(
                uri: Self.project + "/topics/jobs:publish", method: .post,
                body: ByteBuffer(string: #"{"messages": [{"data": "not base64!"}]}"#)
            ) { response in #expect(StorageFixture.errorStatus(response.body) == "INVALID_ARGUMENT") }
        }
    }

    @Test(
        "fields of the wrong type are INVALID_ARGUMENT and store nothing, instead of being read as absent",
        arguments: [
            ("/topics/jobs:publish", #"{"messages": [{"data": "aGk=", "attributes": {"k": 1}}]}"#),
            ("/topics/jobs:publish", #"{"messages": [{"data": 42}]}"#),
            ("/topics/jobs:publish", #"{"messages": [{"data": "aGk=", "orderingKey": ["k"]}]}"#),
            ("/subscriptions/watch:pull", #"{"maxMessages": "ten"}"#),
            ("/subscriptions/watch:pull", #"{"maxMessages": 0}"#),
            ("/subscriptions/watch:pull", #"{"maxMessages": true}"#),
            ("/subscriptions/watch:modifyAckDeadline", #"{"ackIds": ["a"], "ackDeadlineSeconds": "soon"}"#),
            ("/subscriptions/watch:acknowledge", #"{"ackIds": "a"}"#),
        ])
    func wronglyTypedFieldsAreRefused(_ path: String, _ body: String) async throws {
        try await withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(string: #"{"topic": "projects/p/topics/jobs"}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: Self.project + path, method: .post, body: ByteBuffer(string: body)) {
                #expect(StorageFixture.errorStatus($0.body) == "INVALID_ARGUMENT")
            }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:pull", method: .post,
                body: ByteBuffer(string: #"{"returnImmediately": true}"#)
            ) { #expect(StorageFixture.json($0.body).isEmpty) }
        }
    }

    @Test(
        "a subscription with an out-of-range or malformed duration or count is INVALID_ARGUMENT, not a crash",
        arguments: [
            #""messageRetentionDuration": "1e300s""#,
            #""messageRetentionDuration": "infs""#,
            #""messageRetentionDuration": "ten minutes""#,
            #""messageRetentionDuration": 600"#,
            #""retryPolicy": {"minimumBackoff": "-1e300s"}"#,
            #""retryPolicy": {"maximumBackoff": "nans"}"#,
            #""ackDeadlineSeconds": 1e300"#,
            #""ackDeadlineSeconds": "soon""#,
            #""deadLetterPolicy": {"deadLetterTopic": "projects/p/topics/jobs", "maxDeliveryAttempts": 1e300}"#,
        ])
    func subscriptionsWithBadDurationsAreRefused(_ field: String) async throws {
        try await withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/odd", method: .put,
                body: ByteBuffer(string: #"{"topic": "projects/p/topics/jobs", \#(field)}"#)
            ) { #expect(StorageFixture.errorStatus($0.body) == "INVALID_ARGUMENT") }
            try await client.execute(uri: Self.project + "/subscriptions/odd", method: .get) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("a path with an empty segment names no resource, instead of the one after the gap")
    func anEmptyPathSegmentIsNotFound() async throws {
        try await withServer { client in
            try await client.execute(uri: Self.project + "/topics//jobs", method: .put) {
                #expect(StorageFixture.errorStatus($0.body) == "NOT_FOUND")
            }
            try await client.execute(uri: Self.project + "/topics/jobs", method: .get) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("modifyAckDeadline without ackDeadlineSeconds is a nack, as proto3 JSON leaves out a 0")
    func modifyAckDeadlineWithoutSecondsIsANack() async throws {
        try await withServer { client in
            try await Self.publishOne(client, options: "")
            let first = try #require(try await Self.pullOne(client))
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:modifyAckDeadline", method: .post,
                body: ByteBuffer(string: #"{"ackIds": ["\#(first.ackID)"]}"#)
            ) { #expect($0.status == .ok) }
            let again = try await Self.pullOne(client)
            #expect(again != nil)
            #expect(again?.ackID != first.ackID)
        }
    }

    @Test("integers written as strings, as proto3 JSON allows, are read")
    func integersAsStringsAreRead() async throws {
        try await withServer { client in
            try await Self.publishOne(client, options: "")
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:pull", method: .post,
                body: ByteBuffer(string: #"{"maxMessages": "1"}"#)
            ) { response in
                #expect((StorageFixture.json(response.body)["receivedMessages"] as? [Any])?.count == 1)
            }
        }
    }

    @Test("an empty message is refused with a message that says which rule it broke")
    func emptyMessageErrorReadsWell() async throws {
        try await withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/topics/jobs:publish", method: .post,
                body: ByteBuffer(string: #"{"messages": [{}]}"#)
            ) { response in
                let error = StorageFixture.json(response.body)["error"] as? [String: Any]
                #expect(error?["message"] as? String == "a message has neither data nor attributes")
            }
        }
    }

    @Test("a subscription whose topic was deleted shows _deleted-topic_, as Pub/Sub does")
    func subscriptionOfADeletedTopic() async throws {
        try await withServer { client in
            try await Self.publishOne(client, options: "")
            try await client.execute(uri: Self.project + "/topics/jobs", method: .delete) { #expect($0.status == .ok) }
            try await client.execute(uri: Self.project + "/subscriptions/watch", method: .get) { response in
                #expect(StorageFixture.json(response.body)["topic"] as? String == "_deleted-topic_")
            }
            try await client.execute(uri: Self.project + "/subscriptions", method: .get) { response in
                let all = StorageFixture.json(response.body)["subscriptions"] as? [[String: Any]]
                #expect(all?.map { $0["topic"] as? String } == ["_deleted-topic_"])
            }
        }
    }

    @Test("a subscription stays detached when its topic is created again: only its backlog is pulled from it")
    func subscriptionStaysDetachedFromARecreatedTopic() async throws {
        try await withServer { client in
            try await Self.publishOne(client, options: "")
            try await client.execute(uri: Self.project + "/topics/jobs", method: .delete) { #expect($0.status == .ok) }
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { #expect($0.status == .ok) }
            try await client.execute(
                uri: Self.project + "/subscriptions/fresh", method: .put,
                body: ByteBuffer(string: #"{"topic": "projects/p/topics/jobs"}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: Self.project + "/topics/jobs:publish", method: .post,
                body: ByteBuffer(string: #"{"messages": [{"data": "bmV3"}]}"#)
            ) { #expect($0.status == .ok) }
            // The new subscription receiving the new message shows the engine has seen it.
            let received = try await Self.pullData(client, subscription: "fresh", wait: true)
            #expect(received == ["bmV3"])
            #expect(try await Self.pullData(client, subscription: "watch", wait: false) == ["aGVsbG8="])
            try await client.execute(uri: Self.project + "/subscriptions", method: .get) { response in
                let all = StorageFixture.json(response.body)["subscriptions"] as? [[String: Any]]
                #expect(all?.map { $0["topic"] as? String } == ["projects/p/topics/jobs", "_deleted-topic_"])
            }
        }
    }

    @Test(
        "a push endpoint that cannot be called is refused at creation",
        arguments: ["http://127.0.0.1:99999/x", "http://", "http://h/x y", "http://user:pass@h/x", "ftp://h/x"])
    func unusablePushEndpointsAreRefused(_ endpoint: String) async throws {
        try await withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            let body = try JSONSerialization.data(
                withJSONObject: ["topic": "projects/p/topics/jobs", "pushConfig": ["pushEndpoint": endpoint]])
            try await client.execute(
                uri: Self.project + "/subscriptions/push", method: .put, body: ByteBuffer(bytes: body)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(StorageFixture.errorStatus(response.body) == "INVALID_ARGUMENT")
            }
        }
    }

    /// The data of the messages one pull returns; with `wait`, pulls until some arrive (bounded).
    static func pullData(_ client: any TestClientProtocol, subscription: String, wait: Bool) async throws -> [String] {
        for _ in 0..<(wait ? 200 : 1) {
            let data = try await client.execute(
                uri: project + "/subscriptions/\(subscription):pull", method: .post,
                body: ByteBuffer(string: #"{"maxMessages": 10}"#)
            ) { response in
                let received = StorageFixture.json(response.body)["receivedMessages"] as? [[String: Any]] ?? []
                return received.compactMap { ($0["message"] as? [String: Any])?["data"] as? String }
            }
            if !data.isEmpty { return data }
            try await Task.sleep(for: .milliseconds(10))
        }
        return []
    }

    /// Pulls one message (waiting for it) and returns its ack id and delivery attempt.
    static func pullOne(_ client: any TestClientProtocol) async throws -> (ackID: String, attempt: Int)? {
        try await client.execute(
            uri: project + "/subscriptions/watch:pull", method: .post, body: ByteBuffer(string: #"{"maxMessages": 1}"#)
        ) { response in
            let received = (StorageFixture.json(response.body)["receivedMessages"] as? [[String: Any]])?.first
            guard let ackID = received?["ackId"] as? String else { return nil }
            return (ackID, received?["deliveryAttempt"] as? Int ?? 0)
        }
    }

    /// Creates topic `jobs` and subscription `watch` (with `options` merged into its body) and
    /// publishes one message.
    static func publishOne(_ client: any TestClientProtocol, options: String) async throws {
        try await client.execute(uri: project + "/topics/jobs", method: .put) { _ in }
        try await client.execute(
            uri: project + "/subscriptions/watch", method: .put,
            body: ByteBuffer(string: #"{"topic": "projects/p/topics/jobs", "ackDeadlineSeconds": 30\#(options)}"#)
        ) { #expect($0.status == .ok) }
        try await client.execute(
            uri: project + "/topics/jobs:publish", method: .post,
            body: ByteBuffer(string: #"{"messages": [{"data": "aGVsbG8="}]}"#)
        ) { #expect($0.status == .ok) }
    }

    @Test("exactly-once refuses a superseded ack id with an ErrorInfo naming it, and takes the current one")
    func exactlyOnceRefusesStaleAckIDs() async throws {
        try await withServer { client in
            try await Self.publishOne(client, options: #", "enableExactlyOnceDelivery": true"#)
            let first = try #require(try await Self.pullOne(client))
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:modifyAckDeadline", method: .post,
                body: ByteBuffer(string: #"{"ackIds": ["\#(first.ackID)"], "ackDeadlineSeconds": 0}"#)
            ) { #expect($0.status == .ok) }
            let second = try #require(try await Self.pullOne(client))
            #expect(second.ackID != first.ackID)
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:acknowledge", method: .post,
                body: ByteBuffer(string: #"{"ackIds": ["\#(first.ackID)"]}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let error = StorageFixture.json(response.body)["error"] as? [String: Any]
                #expect(error?["status"] as? String == "INVALID_ARGUMENT")
                let info = (error?["details"] as? [[String: Any]])?.first
                #expect(info?["@type"] as? String == "type.googleapis.com/google.rpc.ErrorInfo")
                #expect(info?["reason"] as? String == "EXACTLY_ONCE_ACKID_FAILURE")
                #expect(info?["metadata"] as? [String: String] == [first.ackID: "PERMANENT_FAILURE_INVALID_ACK_ID"])
            }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:acknowledge", method: .post,
                body: ByteBuffer(string: #"{"ackIds": ["\#(second.ackID)"]}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:acknowledge", method: .post,
                body: ByteBuffer(string: #"{"ackIds": ["\#(second.ackID)"]}"#)
            ) { #expect($0.status == .badRequest) }
        }
    }

    @Test("at-least-once accepts a repeated or unknown ack id silently, as Pub/Sub does")
    func atLeastOnceAcceptsStaleAckIDs() async throws {
        try await withServer { client in
            try await Self.publishOne(client, options: "")
            let delivery = try #require(try await Self.pullOne(client))
            for _ in 0..<2 {
                try await client.execute(
                    uri: Self.project + "/subscriptions/watch:acknowledge", method: .post,
                    body: ByteBuffer(string: #"{"ackIds": ["\#(delivery.ackID)", "no-such-ack-id"]}"#)
                ) { #expect($0.status == .ok) }
            }
        }
    }

    @Test("Sluice's redrive route gives dead-lettered messages back from attempt 1; an unknown one is NOT_FOUND")
    func redriveRoute() async throws {
        try await withServer { client in
            for topic in ["jobs", "jobs-dead"] {
                try await client.execute(uri: Self.project + "/topics/" + topic, method: .put) { _ in }
            }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(
                    string: #"""
                        {"topic": "projects/p/topics/jobs", "deadLetterPolicy":
                         {"deadLetterTopic": "projects/p/topics/jobs-dead", "maxDeliveryAttempts": 5}}
                        """#)
            ) { response in #expect(response.status == .ok) }
            try await client.execute(
                uri: Self.project + "/topics/jobs:publish", method: .post,
                body: ByteBuffer(string: #"{"messages": [{"data": "aGVsbG8="}]}"#)
            ) { _ in }
            for attempt in 1...5 {
                let lease = try #require(try await Self.pullOne(client))
                #expect(lease.attempt == attempt)
                try await client.execute(
                    uri: Self.project + "/subscriptions/watch:modifyAckDeadline", method: .post,
                    body: ByteBuffer(string: #"{"ackIds": ["\#(lease.ackID)"], "ackDeadlineSeconds": 0}"#)
                ) { _ in }
            }
            try await client.execute(
                uri: "/v1/sluice/subscriptions/watch:redrive", method: .post,
                body: ByteBuffer(string: #"{"reason": "consumer fixed"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(StorageFixture.json(response.body)["redriven"] as? Int == 1)
            }
            #expect(try await Self.pullOne(client)?.attempt == 1)
            try await client.execute(uri: "/v1/sluice/subscriptions/nope:redrive", method: .post) { response in
                #expect(response.status == .notFound)
                #expect(StorageFixture.errorStatus(response.body) == "NOT_FOUND")
            }
        }
    }

    @Test("PATCH changes the masked fields only; immutable or unknown fields are INVALID_ARGUMENT")
    func patchSubscription() async throws {
        try await withServer { client in
            try await client.execute(uri: Self.project + "/topics/jobs", method: .put) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .put,
                body: ByteBuffer(string: #"{"topic": "projects/p/topics/jobs", "ackDeadlineSeconds": 20}"#)
            ) { _ in }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch", method: .patch,
                body: ByteBuffer(
                    string: #"""
                        {"subscription": {"ackDeadlineSeconds": 45, "retryPolicy": {"minimumBackoff": "5s"},
                          "pushConfig": {"pushEndpoint": "http://127.0.0.1:9/push"}},
                         "updateMask": "ack_deadline_seconds,pushConfig"}
                        """#)
            ) { response in
                #expect(response.status == .ok)
                let json = StorageFixture.json(response.body)
                #expect(json["ackDeadlineSeconds"] as? Int == 45)
                #expect(json["retryPolicy"] == nil)
                #expect((json["pushConfig"] as? [String: Any])?["pushEndpoint"] as? String == "http://127.0.0.1:9/push")
            }
            try await client.execute(uri: Self.project + "/subscriptions/watch", method: .get) { response in
                #expect(StorageFixture.json(response.body)["ackDeadlineSeconds"] as? Int == 45)
            }
            for (mask, field) in [("filter", "filter"), ("topic", "topic")] {
                try await client.execute(
                    uri: Self.project + "/subscriptions/watch", method: .patch,
                    body: ByteBuffer(string: #"{"subscription": {"\#(field)": "x"}, "updateMask": "\#(mask)"}"#)
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(StorageFixture.errorStatus(response.body) == "INVALID_ARGUMENT")
                }
            }
            try await client.execute(
                uri: Self.project + "/subscriptions/watch:modifyPushConfig", method: .post,
                body: ByteBuffer(string: #"{"pushConfig": {}}"#)
            ) { response in #expect(response.status == .ok) }
            try await client.execute(uri: Self.project + "/subscriptions/watch", method: .get) { response in
                #expect((StorageFixture.json(response.body)["pushConfig"] as? [String: Any])?.isEmpty == true)
            }
        }
    }
}
