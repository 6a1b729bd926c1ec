import Foundation
import Hummingbird
import NIOCore
import SluiceCore
import SluiceResources

/// Pub/Sub REST shapes: PubsubMessage and Subscription resources, durations as "600s".
enum PubSubJSON {
    /// The messages of a publish request, read from the body's exact parse so attribute keys that
    /// differ only in normalization stay two attributes. Fields go by their JSON or proto names.
    static func messages(_ body: ExactJSON) throws -> [PubsubMessage] {
        guard let list = body["messages"]?.array, !list.isEmpty else {
            throw GoogleErrorResponse.invalidArgument("a publish carries a non-empty messages list")
        }
        return try list.enumerated().map { index, item in
            guard case .object = item else {
                throw GoogleErrorResponse.invalidArgument("messages[\(index)] must be an object")
            }
            /// The field by its JSON name or its proto name (`ordering_key`), not both; nil when null.
            func field(_ name: String, _ protoName: String? = nil) throws -> ExactJSON? {
                var value = item[name]
                if let protoName, let other = item[protoName] {
                    guard value == nil else {
                        throw GoogleErrorResponse.invalidArgument("messages[\(index)] gives \(name) twice")
                    }
                    value = other
                }
                return value?.isNull == false ? value : nil
            }
            var data: [UInt8] = []
            if let value = try field("data") {
                guard let text = value.string, let decoded = Data(base64Encoded: text) else {
                    throw GoogleErrorResponse.invalidArgument("messages[\(index)].data must be a base64 string")
                }
                data = Array(decoded)
            }
            var attributes = ExactStringMap()
            if let value = try field("attributes") {
                guard let map = value.stringMap else {
                    throw GoogleErrorResponse.invalidArgument(
                        "messages[\(index)].attributes must be an object of strings")
                }
                attributes = map
            }
            var orderingKey = ""
            if let value = try field("orderingKey", "ordering_key") {
                guard let text = value.string else {
                    throw GoogleErrorResponse.invalidArgument("messages[\(index)].orderingKey must be a string")
                }
                orderingKey = text
            }
            return PubsubMessage(
                messageID: "", publishTime: Timestamp(microseconds: 0), attributes: attributes, data: data,
                orderingKey: orderingKey)
        }
    }

    /// An integer field as proto3 JSON writes one: a number, or a string holding one; nil when
    /// absent. Anything else (a fraction, a Boolean, words) is INVALID_ARGUMENT, not a default.
    static func integer(_ value: Any?, _ name: String) throws -> Int? {
        guard let value, !(value is NSNull) else { return nil }
        // JSONSerialization gives Booleans as NSNumbers of ObjC type "c" (char).
        if let number = value as? NSNumber, String(cString: number.objCType) != "c",
            let integer = Int(exactly: number.doubleValue)
        {
            return integer
        }
        if let text = value as? String, let integer = Int(text) { return integer }
        throw GoogleErrorResponse.invalidArgument("\(name) must be an integer")
    }

    /// The `ackIds` of an acknowledge or modifyAckDeadline request.
    static func ackIDs(_ body: [String: Any]) throws -> [String] {
        guard let value = body["ackIds"], !(value is NSNull) else { return [] }
        guard let ids = value as? [String] else {
            throw GoogleErrorResponse.invalidArgument("ackIds must be a list of strings")
        }
        return ids
    }

    /// A received message, keys sorted. Attributes are written by hand: a `[String: Any]` would
    /// merge keys that differ only in normalization.
    static func message(_ message: PubsubMessage) -> JSONField {
        var json = JSONObject([:])
        if !message.attributes.isEmpty {
            var attributes: [UInt8] = []
            message.attributes.appendJSONObject(to: &attributes)
            json.fields.append(("attributes", .raw(String(decoding: attributes, as: UTF8.self))))
        }
        json.fields.append(("data", .string(Data(message.data).base64EncodedString())))
        json.fields.append(("messageId", .string(message.messageID)))
        if !message.orderingKey.isEmpty { json.fields.append(("orderingKey", .string(message.orderingKey))) }
        json.fields.append(("publishTime", .string(message.publishTime.rfc3339Microseconds)))
        return .object(json)
    }

    /// The longest `google.protobuf.Duration`: 10,000 years of seconds.
    static let longestDurationSeconds: Double = 315_576_000_000

    /// A `google.protobuf.Duration` in its JSON form ("600s", "3.5s"), in whole seconds; nil when
    /// absent. Anything else, or a duration past the type's range, is INVALID_ARGUMENT.
    static func seconds(_ value: Any?, _ name: String) throws -> Int64? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String, text.hasSuffix("s"), let seconds = Double(text.dropLast()),
            seconds.isFinite, abs(seconds) <= longestDurationSeconds
        else {
            throw GoogleErrorResponse.invalidArgument("\(name) must be a duration in seconds, such as \"600s\"")
        }
        return Int64(seconds)
    }

    /// A subscription's configuration from its resource; its topics must be in `project`.
    static func subscriptionConfig(name: String, project: String, _ body: [String: Any]) throws
        -> SubscriptionConfig
    {
        guard let topic = body["topic"] as? String else {
            throw GoogleErrorResponse.invalidArgument("a subscription needs a topic")
        }
        do {
            var retry: RetryPolicy?
            if let policy = body["retryPolicy"] as? [String: Any] {
                retry = RetryPolicy(
                    minimumBackoffSeconds: try seconds(policy["minimumBackoff"], "retryPolicy.minimumBackoff") ?? 10,
                    maximumBackoffSeconds: try seconds(policy["maximumBackoff"], "retryPolicy.maximumBackoff") ?? 600)
            }
            var deadLetter: DeadLetterPolicy?
            if let policy = body["deadLetterPolicy"] as? [String: Any], let topic = policy["deadLetterTopic"] as? String
            {
                deadLetter = DeadLetterPolicy(
                    deadLetterTopic: try TopicName(resource: topic, project: project),
                    maxDeliveryAttempts: try integer(
                        policy["maxDeliveryAttempts"], "deadLetterPolicy.maxDeliveryAttempts") ?? 5)
            }
            var push: PushConfig?
            if let config = body["pushConfig"] as? [String: Any], let endpoint = config["pushEndpoint"] as? String,
                !endpoint.isEmpty
            {
                let unwrapped = config["noWrapper"] as? [String: Any]
                push = PushConfig(
                    pushEndpoint: endpoint, attributes: config["attributes"] as? [String: String] ?? [:],
                    noWrapper: unwrapped != nil, writeMetadata: unwrapped?["writeMetadata"] as? Bool ?? false,
                    oidcToken: try oidcToken(config["oidcToken"]))
            }
            return SubscriptionConfig(
                name: try SubscriptionName(name), topic: try TopicName(resource: topic, project: project),
                ackDeadlineSeconds: Int64(try integer(body["ackDeadlineSeconds"], "ackDeadlineSeconds") ?? 0),
                retryPolicy: retry,
                deadLetterPolicy: deadLetter,
                messageRetentionSeconds: try seconds(body["messageRetentionDuration"], "messageRetentionDuration")
                    ?? SubscriptionConfig.defaultMessageRetentionSeconds,
                filter: (body["filter"] as? String).flatMap { $0.isEmpty ? nil : $0 },
                enableMessageOrdering: body["enableMessageOrdering"] as? Bool ?? false,
                enableExactlyOnceDelivery: body["enableExactlyOnceDelivery"] as? Bool ?? false, pushConfig: push)
        } catch {
            throw GoogleErrorResponse(error)
        }
    }

    static func pushConfig(_ push: PushConfig?) -> [String: Any] {
        guard let push else { return [:] }
        var json: [String: Any] = ["pushEndpoint": push.pushEndpoint]
        if !push.attributes.isEmpty { json["attributes"] = push.attributes }
        if push.noWrapper { json["noWrapper"] = ["writeMetadata": push.writeMetadata ?? false] }
        if let token = push.oidcToken {
            var oidc: [String: Any] = ["serviceAccountEmail": token.serviceAccountEmail]
            if !token.audience.isEmpty { oidc["audience"] = token.audience }
            json["oidcToken"] = oidc
        }
        return json
    }

    /// `pushConfig.oidcToken`: a service account email is required, the audience optional.
    static func oidcToken(_ value: Any?) throws -> PushConfig.OIDCToken? {
        guard let value else { return nil }
        guard let token = value as? [String: Any] else {
            throw GoogleErrorResponse.invalidArgument("pushConfig.oidcToken must be an object")
        }
        guard let email = token["serviceAccountEmail"] as? String, email.contains("@"), email.count <= 254 else {
            throw GoogleErrorResponse.invalidArgument(
                "pushConfig.oidcToken.serviceAccountEmail must be a service account's email address")
        }
        let audience = token["audience"]
        guard audience == nil || audience is String else {
            throw GoogleErrorResponse.invalidArgument("pushConfig.oidcToken.audience must be a string")
        }
        return PushConfig.OIDCToken(serviceAccountEmail: email, audience: audience as? String ?? "")
    }

    /// `detached`: the subscription's topic was deleted, which Pub/Sub shows as `_deleted-topic_`.
    static func subscription(_ config: SubscriptionConfig, project: String, detached: Bool = false) -> [String: Any] {
        var json: [String: Any] = [
            "name": "projects/\(project)/subscriptions/\(config.name.rawValue)",
            "topic": detached ? "_deleted-topic_" : "projects/\(project)/topics/\(config.topic.rawValue)",
            "ackDeadlineSeconds": config.ackDeadlineSeconds,
            "messageRetentionDuration": "\(config.messageRetentionSeconds)s",
            "enableMessageOrdering": config.enableMessageOrdering,
            "enableExactlyOnceDelivery": config.enableExactlyOnceDelivery,
            "pushConfig": pushConfig(config.pushConfig), "state": "ACTIVE",
        ]
        if let filter = config.filter { json["filter"] = filter }
        if let retry = config.retryPolicy {
            json["retryPolicy"] = [
                "minimumBackoff": "\(retry.minimumBackoffSeconds)s",
                "maximumBackoff": "\(retry.maximumBackoffSeconds)s",
            ]
        }
        if let deadLetter = config.deadLetterPolicy {
            json["deadLetterPolicy"] = [
                "deadLetterTopic": "projects/\(project)/topics/\(deadLetter.deadLetterTopic.rawValue)",
                "maxDeliveryAttempts": deadLetter.maxDeliveryAttempts,
            ]
        }
        return json
    }

    static func response(_ object: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=UTF-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
