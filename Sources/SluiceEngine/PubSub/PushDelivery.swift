import Foundation
import SluiceCore
public import SluiceResources

/// One push of one message to a push subscription's endpoint.
public struct PushRequest: Sendable, Hashable {
    public var endpoint: String
    public var headers: [String: String]
    public var body: [UInt8]
    /// The ack deadline: an endpoint that has not answered by then has failed the attempt.
    public var timeout: Duration
    /// Authenticated push: the token to attach, its audience already resolved.
    public var oidcToken: PushConfig.OIDCToken?

    public init(
        endpoint: String, headers: [String: String], body: [UInt8], timeout: Duration,
        oidcToken: PushConfig.OIDCToken? = nil
    ) {
        self.endpoint = endpoint
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.oidcToken = oidcToken
    }
}

/// What an endpoint made of a push.
public enum PushResult: Sendable, Hashable {
    /// 102, 200, 201, 202 or 204: the message is acknowledged.
    case acknowledged
    /// Anything else (another status, no answer in time, no connection), with why.
    case failed(String)
}

/// Sends pushes over HTTP; the engine stays free of an HTTP client.
public protocol PushSender: Sendable {
    func send(_ request: PushRequest) async -> PushResult
}

/// Builds the requests Pub/Sub's push delivery sends
/// (https://cloud.google.com/pubsub/docs/push#receive_push).
public enum PushRequests {
    /// The wrapped form: `{"message": {...}, "subscription": "projects/P/subscriptions/S"}`, with
    /// `deliveryAttempt` when the subscription has a dead-letter policy. The message carries
    /// `messageId`/`message_id` and `publishTime`/`publish_time` both, as Google sends them. The
    /// unwrapped form (`noWrapper`) sends the data as the body and, with `writeMetadata`, the
    /// attributes and message metadata as `x-goog-pubsub-*` headers. The subscription is named
    /// under the project it was created in, `project` when it was created without one. With
    /// `oidcToken`, the request asks for a token whose audience defaults to the endpoint.
    public static func make(
        _ delivery: DeliveryStateMachine.Delivery, config: SubscriptionConfig, push: PushConfig, project: String
    ) -> PushRequest {
        let message = delivery.message
        let subscription = "projects/\(config.project ?? project)/subscriptions/\(config.name.rawValue)"
        let timeout = Duration.seconds(config.ackDeadlineSeconds)
        let token = push.oidcToken.map {
            PushConfig.OIDCToken(
                serviceAccountEmail: $0.serviceAccountEmail,
                audience: $0.audience.isEmpty ? push.pushEndpoint : $0.audience)
        }
        if push.noWrapper {
            var headers = ["content-type": "application/octet-stream"]
            if push.writeMetadata == true {
                headers["x-goog-pubsub-subscription-name"] = subscription
                headers["x-goog-pubsub-message-id"] = message.messageID
                headers["x-goog-pubsub-publish-time"] = message.publishTime.rfc3339Microseconds
                for (key, value) in message.attributes { headers["x-goog-pubsub-" + key.lowercased()] = value }
            }
            return PushRequest(
                endpoint: push.pushEndpoint, headers: headers, body: message.data, timeout: timeout, oidcToken: token)
        }
        let deliveryAttempt = config.deadLetterPolicy != nil ? delivery.deliveryAttempt : nil
        return PushRequest(
            endpoint: push.pushEndpoint, headers: ["content-type": "application/json"],
            body: wrappedBody(message, subscription: subscription, deliveryAttempt: deliveryAttempt),
            timeout: timeout, oidcToken: token)
    }

    /// The wrapped body, keys sorted, written by hand: a `[String: Any]` for `JSONSerialization`
    /// would merge attribute keys that differ only in normalization, which Pub/Sub delivers apart.
    static func wrappedBody(_ message: PubsubMessage, subscription: String, deliveryAttempt: Int?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + message.data.count * 4 / 3)
        func member(_ key: String, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(key, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        out.append(UInt8(ascii: "{"))
        if let deliveryAttempt {
            member("deliveryAttempt", first: true)
            out.append(contentsOf: String(deliveryAttempt).utf8)
        }
        member("message", first: deliveryAttempt == nil)
        out.append(UInt8(ascii: "{"))
        if !message.attributes.isEmpty {
            member("attributes", first: true)
            message.attributes.appendJSONObject(to: &out)
        }
        member("data", first: message.attributes.isEmpty)
        JSONText.appendQuoted(Data(message.data).base64EncodedString(), to: &out)
        let publishTime = message.publishTime.rfc3339Microseconds
        for key in ["messageId", "message_id"] {
            member(key)
            JSONText.appendQuoted(message.messageID, to: &out)
        }
        if !message.orderingKey.isEmpty {
            member("orderingKey")
            JSONText.appendQuoted(message.orderingKey, to: &out)
        }
        for key in ["publishTime", "publish_time"] {
            member(key)
            JSONText.appendQuoted(publishTime, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        member("subscription")
        JSONText.appendQuoted(subscription, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// Push backoff per subscription: after a failed push, the next ones wait 100 ms, doubling up to
/// 60 s, and a success resets it, as Pub/Sub slows pushes to a failing endpoint.
struct PushBackoff: Sendable {
    private var failures = 0
    private(set) var until: ContinuousClock.Instant?

    mutating func failed() {
        failures += 1
        let milliseconds = min(60_000, 100 << min(failures - 1, 10))
        until = .now + .milliseconds(milliseconds)
    }

    mutating func succeeded() {
        failures = 0
        until = nil
    }

    var isWaiting: Bool { until.map { $0 > .now } ?? false }
}
