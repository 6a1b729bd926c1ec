import Hummingbird
import SluiceCore
import SluiceResources

extension PubSubRoutes {
    /// `topics.subscriptions.list` and `topics.snapshots.list`, which google-cloud-pubsub's
    /// `list_topic_subscriptions` and `list_topic_snapshots` call.
    func addTopicLists(to routes: RoleRoutes) {
        let topic = "/v1/projects/:project/topics/:topic"
        routes(.viewer).get(RouterPath(topic + "/subscriptions")) { request, context in
            let (project, name) = try Self.names(context, "topic")
            let parameters = request.uri.queryParameters
            let size = try ListPaging.pageSize(parameters.get("pageSize"))
            let token = try ListPaging.pageToken(parameters.get("pageToken")) ?? 0
            do {
                let attached = try await attachedSubscriptions(of: name)
                let start = Int(clamping: min(token, Int64(attached.count)))
                let end = min(start + size, attached.count)
                let names = attached[start..<end].map { $0.resourceName(project: project) }
                var body: [String: Any] = ["subscriptions": names]
                if end < attached.count { body["nextPageToken"] = String(end) }
                return try PubSubJSON.response(body)
            } catch { throw GoogleErrorResponse(error) }
        }
        routes(.viewer).get(RouterPath(topic + "/snapshots")) { _, context in
            let (_, name) = try Self.names(context, "topic")
            do {
                // Sluice has no snapshots; the topic must exist all the same, as in Pub/Sub.
                _ = try await attachedSubscriptions(of: name)
                return try PubSubJSON.response(["snapshots": [String]()])
            } catch { throw GoogleErrorResponse(error) }
        }
    }

    /// The names of the subscriptions following topic `name` now, in name order: not those
    /// detached by a deletion of the topic, which Pub/Sub leaves out of this list too.
    private func attachedSubscriptions(of name: String) async throws(SluiceError) -> [SubscriptionName] {
        let topic = try TopicName(name)
        guard let created = try await pubsub.topicCreationPosition(topic) else {
            throw SluiceError(.notFound, "Resource not found (resource=\(name)).")
        }
        return try await pubsub.listSubscriptions().filter { $0.config.topic == topic && $0.createdAt > created }
            .map(\.config.name)
    }
}
