import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import Testing

@Suite("Push subscriptions POST each message as Pub/Sub does, and retry a failing endpoint")
struct PushDeliveryTests {
    /// An endpoint that fails its first `failures` pushes and records what it was sent.
    actor Endpoint: PushSender {
        private var failures: Int
        private(set) var received: [PushRequest] = []

        init(failures: Int = 0) { self.failures = failures }

        func send(_ request: PushRequest) async -> PushResult {
            received.append(request)
            guard failures > 0 else { return .acknowledged }
            failures -= 1
            return .failed("HTTP 503")
        }

        /// Waits (bounded) until `count` pushes arrived.
        func waitFor(_ count: Int) async throws -> [PushRequest] {
            for _ in 0..<500 where received.count < count { try await Task.sleep(for: .milliseconds(10)) }
            return received
        }
    }

    /// A hub fixture whose subscription `watch` pushes to `endpoint`.
    struct Fixture {
        let hub = SubscriptionHubTests.Fixture()
        let endpoint: Endpoint
        var log: MemoryEventLog { hub.log }
        var pubsub: PubSubService { hub.pubsub }

        init(failures: Int = 0) { endpoint = Endpoint(failures: failures) }

        func subscribe(push: PushConfig?, deadLetter: Bool = false) async throws {
            try await pubsub.createTopic("jobs")
            if deadLetter { try await pubsub.createTopic("jobs-dead") }
            try await pubsub.createSubscription(
                SubscriptionConfig(
                    name: try SubscriptionName("watch"), topic: try TopicName("jobs"),
                    retryPolicy: RetryPolicy(minimumBackoffSeconds: 0, maximumBackoffSeconds: 0),
                    deadLetterPolicy: deadLetter
                        ? DeadLetterPolicy(deadLetterTopic: try TopicName("jobs-dead"), maxDeliveryAttempts: 5) : nil,
                    pushConfig: push))
        }

        func publish(_ text: String, attributes: [String: String] = [:]) async throws {
            try await hub.publish(text, attributes: attributes)
        }

        func running<T: Sendable>(_ body: @Sendable (SubscriptionHub) async throws -> T) async throws -> T {
            try await hub.running(pushSender: endpoint, body)
        }

        func count(_ type: String) async throws -> Int {
            try await log.query(EventQuery(types: [type], limit: 100)).events.count
        }
    }

    static func json(_ request: PushRequest) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    }

    @Test("a message is POSTed in Pub/Sub's wrapper and acknowledged when the endpoint accepts it")
    func wrappedPushIsAcknowledged() async throws {
        let fixture = Fixture()
        try await fixture.subscribe(push: PushConfig(pushEndpoint: "http://127.0.0.1:9/push"))
        try await fixture.publish("hello", attributes: ["kind": "greeting"])
        let pushed = try await fixture.running { hub in
            let pushed = try await fixture.endpoint.waitFor(1)
            for _ in 0..<200 where await hub.backlog("watch") > 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(await hub.backlog("watch") == 0)
            return pushed
        }
        let request = try #require(pushed.first)
        #expect(request.endpoint == "http://127.0.0.1:9/push")
        #expect(request.headers["content-type"] == "application/json")
        let body = try Self.json(request)
        #expect(body["subscription"] as? String == "projects/local/subscriptions/watch")
        #expect(body["deliveryAttempt"] == nil)
        let message = try #require(body["message"] as? [String: Any])
        #expect(message["data"] as? String == Data("hello".utf8).base64EncodedString())
        #expect(message["attributes"] as? [String: String] == ["kind": "greeting"])
        #expect(message["messageId"] as? String == message["message_id"] as? String)
        #expect(message["publishTime"] != nil && message["publish_time"] != nil)
        #expect(try await fixture.count(SubscriptionHub.ackedType) == 1)
    }

    @Test("a push names the subscription under the project it was created in, and an update keeps it")
    func pushNamesTheCreatingProject() throws {
        var config = SubscriptionConfig(
            name: try SubscriptionName("watch"), topic: try TopicName("jobs"),
            pushConfig: PushConfig(pushEndpoint: "http://127.0.0.1:9/push"))
        config.project = "demo"
        let message = PubsubMessage(messageID: "1", publishTime: Timestamp(seconds: 0), data: Array("x".utf8))
        let delivery = DeliveryStateMachine.Delivery(
            ackID: "1-1", message: message, deliveryAttempt: 1, deadline: Timestamp(seconds: 10))
        let request = PushRequests.make(
            delivery, config: config, push: try #require(config.pushConfig), project: "local")
        #expect(try Self.json(request)["subscription"] as? String == "projects/demo/subscriptions/watch")

        var state = SubscriptionState()
        try state.apply(.created(SubscriptionCreated(config: config, time: Timestamp(seconds: 0))))
        var patched = config
        patched.project = nil
        patched.ackDeadlineSeconds = 60
        let events = try state.update(to: patched, fields: ["ackDeadlineSeconds"], now: Timestamp(seconds: 1))
        guard case .updated(let update)? = events.first else { throw Unexpected() }
        #expect(update.config.project == "demo")
    }

    struct Unexpected: Error {}

    @Test("a failing endpoint gets the message again, with the next delivery attempt, until it accepts it")
    func failedPushIsRetried() async throws {
        let fixture = Fixture(failures: 2)
        try await fixture.subscribe(push: PushConfig(pushEndpoint: "http://127.0.0.1:9/push"), deadLetter: true)
        try await fixture.publish("retry me")
        let pushed = try await fixture.running { hub in
            let pushed = try await fixture.endpoint.waitFor(3)
            for _ in 0..<200 where await hub.backlog("watch") > 0 { try await Task.sleep(for: .milliseconds(10)) }
            return pushed
        }
        #expect(try pushed.map { try Self.json($0)["deliveryAttempt"] as? Int } == [1, 2, 3])
        #expect(try await fixture.count("delivery.push_failed") == 2)
        #expect(try await fixture.count(SubscriptionHub.ackedType) == 1)
    }

    @Test("an unwrapped push sends the data as the body and, with writeMetadata, the attributes as headers")
    func unwrappedPush() async throws {
        let fixture = Fixture()
        try await fixture.subscribe(
            push: PushConfig(pushEndpoint: "http://127.0.0.1:9/push", noWrapper: true, writeMetadata: true))
        try await fixture.publish("raw bytes", attributes: ["Kind": "raw"])
        let pushed = try await fixture.running { _ in try await fixture.endpoint.waitFor(1) }
        let request = try #require(pushed.first)
        #expect(request.body == Array("raw bytes".utf8))
        #expect(request.headers["x-goog-pubsub-kind"] == "raw")
        #expect(request.headers["x-goog-pubsub-subscription-name"] == "projects/local/subscriptions/watch")
    }

    @Test("updating a pull subscription to push starts pushing the messages that wait")
    func updateToPushStartsPushing() async throws {
        let fixture = Fixture()
        try await fixture.subscribe(push: nil)
        try await fixture.publish("waiting")
        let pushed = try await fixture.running { _ in
            try await Task.sleep(for: .milliseconds(100))
            #expect(await fixture.endpoint.received.isEmpty)
            var config = try await fixture.pubsub.subscription("watch")
            config.pushConfig = PushConfig(pushEndpoint: "http://127.0.0.1:9/push")
            try await fixture.pubsub.updateSubscription(config, fields: ["pushConfig"])
            return try await fixture.endpoint.waitFor(1)
        }
        #expect(pushed.count == 1)
    }
}
