import Foundation
import Hummingbird
import SluiceCore
public import SluiceEngine
public import SluiceResources

/// Pub/Sub v1 REST: topics (create, get, list, delete, publish, list their subscriptions) and pull
/// subscriptions (create, get, list, delete, pull, acknowledge, modifyAckDeadline), for
/// `PUBSUB_EMULATOR_HOST` clients.
public struct PubSubRoutes: Sendable {
    let pubsub: PubSubService
    let hub: SubscriptionHub

    public init(pubsub: PubSubService, hub: SubscriptionHub) {
        self.pubsub = pubsub
        self.hub = hub
    }

    func add(to routes: RoleRoutes) {
        let topic = "/v1/projects/:project/topics/:topic"
        routes(.editor).put(RouterPath(topic)) { _, context in
            let (project, name) = try Self.names(context, "topic")
            do {
                try await pubsub.createTopic(name, metadata: EventMetadata(principal: context.principal))
                return try StorageHTTP.json(["name": "projects/\(project)/topics/\(name)"])
            } catch { throw GoogleErrorResponse(error) }
        }
        routes(.viewer).get(RouterPath(topic)) { _, context in
            let (project, name) = try Self.names(context, "topic")
            do {
                guard try await pubsub.topicExists(name) else {
                    throw SluiceError(.notFound, "Resource not found (resource=\(name)).")
                }
                return try StorageHTTP.json(["name": "projects/\(project)/topics/\(name)"])
            } catch { throw GoogleErrorResponse(error) }
        }
        routes(.viewer).get("/v1/projects/:project/topics") { _, context in
            let project = try context.parameters.decoded("project")
            do {
                let topics = try await pubsub.listTopics().map { ["name": "projects/\(project)/topics/\($0)"] }
                return try StorageHTTP.json(["topics": topics])
            } catch { throw GoogleErrorResponse(error) }
        }
        routes(.editor).delete(RouterPath(topic)) { _, context in
            let (_, name) = try Self.names(context, "topic")
            do {
                try await pubsub.deleteTopic(name, metadata: EventMetadata(principal: context.principal))
                return try StorageHTTP.json([String: String]())
            } catch { throw GoogleErrorResponse(error) }
        }
        routes(.invoker).post(RouterPath(topic)) { request, context in
            let (_, target) = try Self.names(context, "topic")
            guard target.hasSuffix(":publish") else { throw GoogleErrorResponse.notFound("no method \(target)") }
            let messages = try PubSubJSON.messages(try await Self.exactObject(request))
            do {
                let ids = try await pubsub.publish(
                    topic: String(target.dropLast(":publish".count)), messages,
                    metadata: EventMetadata(principal: context.principal))
                return try StorageHTTP.json(["messageIds": ids])
            } catch { throw GoogleErrorResponse(error) }
        }
        addSubscriptions(to: routes)
        addTopicLists(to: routes)
    }

    private func addSubscriptions(to routes: RoleRoutes) {
        let subscription = "/v1/projects/:project/subscriptions/:subscription"
        routes(.editor).put(RouterPath(subscription)) { request, context in
            let (project, name) = try Self.names(context, "subscription")
            var config = try PubSubJSON.subscriptionConfig(
                name: name, project: project, try await Self.object(request))
            config.project = project
            do {
                try await pubsub.createSubscription(config, metadata: EventMetadata(principal: context.principal))
                return try PubSubJSON.response(PubSubJSON.subscription(config, project: project))
            } catch { throw GoogleErrorResponse(error) }
        }
        routes(.editor).patch(RouterPath(subscription)) { request, context in
            let (project, name) = try Self.names(context, "subscription")
            let body = try await Self.object(request)
            guard let patch = body["subscription"] as? [String: Any] else {
                throw GoogleErrorResponse.invalidArgument("an update carries the subscription's new fields")
            }
            let paths = try SubscriptionPatch.paths(body["updateMask"] as? String ?? "")
            do {
                let (currentConfig, detached) = try await pubsub.subscriptionState(name)
                let current = PubSubJSON.subscription(currentConfig, project: project)
                let config = try PubSubJSON.subscriptionConfig(
                    name: name, project: project, SubscriptionPatch.merge(current, patch, paths: paths))
                try await pubsub.updateSubscription(
                    config, fields: paths, metadata: EventMetadata(principal: context.principal))
                return try PubSubJSON.response(PubSubJSON.subscription(config, project: project, detached: detached))
            } catch let error as GoogleErrorResponse { throw error } catch { throw GoogleErrorResponse(error) }
        }
        routes(.viewer).get(RouterPath(subscription)) { _, context in
            let (project, name) = try Self.names(context, "subscription")
            do {
                let (config, detached) = try await pubsub.subscriptionState(name)
                return try PubSubJSON.response(PubSubJSON.subscription(config, project: project, detached: detached))
            } catch { throw GoogleErrorResponse(error) }
        }
        routes(.viewer).get("/v1/projects/:project/subscriptions") { _, context in
            let project = try context.parameters.decoded("project")
            do {
                var all: [[String: Any]] = []
                var topicCreations: [String: Int64?] = [:]
                for state in try await pubsub.listSubscriptions() {
                    let topic = state.config.topic.rawValue
                    let created: Int64?
                    if let known = topicCreations[topic] {
                        created = known
                    } else {
                        created = try await pubsub.topicCreationPosition(state.config.topic)
                        topicCreations[topic] = created
                    }
                    let detached = created.map { $0 > state.createdAt } ?? true
                    all.append(PubSubJSON.subscription(state.config, project: project, detached: detached))
                }
                return try PubSubJSON.response(["subscriptions": all])
            } catch { throw GoogleErrorResponse(error) }
        }
        routes(.editor).delete(RouterPath(subscription)) { _, context in
            let (_, name) = try Self.names(context, "subscription")
            do {
                try await pubsub.deleteSubscription(name, metadata: EventMetadata(principal: context.principal))
                return try StorageHTTP.json([String: String]())
            } catch { throw GoogleErrorResponse(error) }
        }
        routes(.invoker).post(RouterPath(subscription)) { request, context in
            let (project, target) = try Self.names(context, "subscription")
            let body = try await Self.object(request)
            guard let colon = target.lastIndex(of: ":") else {
                throw GoogleErrorResponse.notFound("no method \(target)")
            }
            let name = String(target[..<colon])
            do {
                switch target[target.index(after: colon)...] {
                case "pull": return try await pull(name, body)
                case "acknowledge":
                    let refused = try await hub.acknowledge(name, ackIDs: try PubSubJSON.ackIDs(body))
                    if !refused.isEmpty { throw Self.ackIDFailure(refused) }
                    return try StorageHTTP.json([String: String]())
                case "modifyPushConfig":
                    // It changes the subscription's configuration, which is an editor's to do.
                    if let token = context.token, token.role < .editor {
                        throw GoogleErrorResponse.permissionDenied(
                            "token \(token.id) has role \(token.role.rawValue); modifyPushConfig needs editor")
                    }
                    let current = PubSubJSON.subscription(try await pubsub.subscription(name), project: project)
                    let patch = ["pushConfig": body["pushConfig"] ?? [String: Any]()]
                    let config = try PubSubJSON.subscriptionConfig(
                        name: name, project: project, SubscriptionPatch.merge(current, patch, paths: ["pushConfig"]))
                    try await pubsub.updateSubscription(
                        config, fields: ["pushConfig"], metadata: EventMetadata(principal: context.principal))
                    return try StorageHTTP.json([String: String]())
                case "modifyAckDeadline":
                    // proto3 JSON leaves out a field at its default: no ackDeadlineSeconds is 0, a nack,
                    // which is how google-cloud-pubsub sends one.
                    let seconds = try PubSubJSON.integer(body["ackDeadlineSeconds"], "ackDeadlineSeconds") ?? 0
                    let refused = try await hub.modifyAckDeadline(
                        name, ackIDs: try PubSubJSON.ackIDs(body), seconds: Int64(seconds))
                    if !refused.isEmpty { throw Self.ackIDFailure(refused) }
                    return try StorageHTTP.json([String: String]())
                default: throw GoogleErrorResponse.notFound("no method \(target)")
                }
            } catch let error as GoogleErrorResponse { throw error } catch { throw GoogleErrorResponse(error) }
        }
    }

    /// How Pub/Sub refuses ack ids of an exactly-once subscription: INVALID_ARGUMENT with an
    /// `ErrorInfo` naming each refused id, which the client libraries read to fail just those
    /// acks (the other ids in the request were applied).
    static func ackIDFailure(_ refused: [String]) -> GoogleErrorResponse {
        GoogleErrorResponse(
            status: .badRequest, googleStatus: "INVALID_ARGUMENT",
            message: "\(refused.count) ack id(s) expired, were superseded by a newer delivery, or are unknown",
            details: [
                GoogleErrorResponse.errorInfo(
                    reason: "EXACTLY_ONCE_ACKID_FAILURE", domain: "pubsub.googleapis.com",
                    metadata: Dictionary(
                        refused.map { ($0, "PERMANENT_FAILURE_INVALID_ACK_ID") },
                        uniquingKeysWith: { first, _ in first }))
            ])
    }

    private func pull(_ name: String, _ body: [String: Any]) async throws -> Response {
        let config = try await pubsub.subscription(name)
        let maxMessages = try PubSubJSON.integer(body["maxMessages"], "maxMessages") ?? 100
        guard maxMessages > 0 else { throw GoogleErrorResponse.invalidArgument("maxMessages must be positive") }
        let immediately = body["returnImmediately"] as? Bool ?? false
        let deliveries = try await hub.pull(name, maxMessages: maxMessages, wait: immediately ? .zero : .seconds(10))
        let received = deliveries.map { delivery -> JSONField in
            var item = JSONObject(["ackId": .string(delivery.ackID)])
            if config.deadLetterPolicy != nil {
                item.fields.append(("deliveryAttempt", .number(Double(delivery.deliveryAttempt))))
            }
            item.fields.append(("message", PubSubJSON.message(delivery.message)))
            return .object(item)
        }
        return JSONObject.response(
            received.isEmpty ? JSONObject([:]) : JSONObject(["receivedMessages": .array(received)]))
    }

    static func names(_ context: some RequestContext, _ kind: String) throws -> (project: String, name: String) {
        (try context.parameters.decoded("project"), try context.parameters.decoded(kind))
    }

    /// The fields of a request body, by their JSON names (see ``ProtoJSONNames``).
    static func object(_ request: Request) async throws -> [String: Any] {
        let buffer = try await request.body.collect(upTo: 16 << 20)
        guard buffer.readableBytes > 0 else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
        else {
            throw GoogleErrorResponse.invalidArgument("the request body is not a JSON object")
        }
        return try ProtoJSONNames.normalized(object, mapFields: ["attributes", "labels"])
    }

    /// A request body parsed keeping every object member as written (a publish's attributes).
    static func exactObject(_ request: Request) async throws -> ExactJSON {
        let buffer = try await request.body.collect(upTo: 16 << 20)
        guard buffer.readableBytes > 0 else { return .object([]) }
        guard let body = try? ExactJSON.parse(buffer.readableBytesView), case .object = body else {
            throw GoogleErrorResponse.invalidArgument("the request body is not a JSON object")
        }
        return body
    }
}
