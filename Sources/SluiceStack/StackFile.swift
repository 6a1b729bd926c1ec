import Foundation
public import SluiceCore
import Yams

/// A declarative stack: the buckets, notifications, topics, subscriptions, workflows, functions
/// and models of one pipeline, as the infrastructure-as-code program for its Google version
/// would declare them. `sluice apply` makes the data directory match it.
public struct StackFile: Sendable, Hashable, Decodable {
    public var name: String
    public var buckets: [BucketSpec]
    public var topics: [TopicSpec]
    public var subscriptions: [SubscriptionSpec]
    public var workflows: [WorkflowSpec]
    public var functions: [FunctionSpec]
    public var models: [ModelSpec]
    /// Values printed after an apply (bucket names, the workflow, ...).
    public var outputs: [String: String]

    public struct BucketSpec: Sendable, Hashable, Decodable {
        public var name: String
        public var versioning: Bool?
        public var notifications: [NotificationSpec]?
    }

    public struct NotificationSpec: Sendable, Hashable, Decodable {
        public var topic: String
        public var eventTypes: [String]?
        public var objectNamePrefix: String?
        public var payloadFormat: String?
        public var customAttributes: [String: String]?
    }

    public struct TopicSpec: Sendable, Hashable, Decodable {
        public var name: String
    }

    public struct SubscriptionSpec: Sendable, Hashable, Decodable {
        public var name: String
        public var topic: String
        public var ackDeadlineSeconds: Int64?
        public var filter: String?
        public var enableMessageOrdering: Bool?
        public var enableExactlyOnceDelivery: Bool?
        public var deadLetterTopic: String?
        public var maxDeliveryAttempts: Int?
        public var minimumBackoffSeconds: Int64?
        public var maximumBackoffSeconds: Int64?
    }

    public struct WorkflowSpec: Sendable, Hashable, Decodable {
        public var name: String
        /// A file beside the stack file.
        public var source: String?
        /// The definition inline.
        public var sourceContents: String?
        /// The email of the service account executions act as (their OIDC tokens' identity).
        public var serviceAccount: String?
    }

    public struct FunctionSpec: Sendable, Hashable, Decodable {
        public var name: String
        public var triggerTopic: String
        public var startWorkflow: String?
        public var url: String?
        public var command: [String]?
        public var retry: Bool?
        public var timeoutSeconds: Int64?
        public var maxInstances: Int?
        public var deadLetterTopic: String?
        public var maxDeliveryAttempts: Int?
    }

    /// A model: exactly one of a model file, an HTTP endpoint or a worker command.
    public struct ModelSpec: Sendable, Hashable, Decodable {
        public var name: String
        /// A model file beside the stack file (`sluice.dense.v1` and friends).
        public var file: String?
        /// A Vertex AI / KServe v1 predict URL.
        public var url: String?
        /// A JSON-lines model worker and its arguments.
        public var command: [String]?
        /// How many worker processes run side by side (`command` only).
        public var workers: Int?
        /// How long one prediction may take (`url` and `command`).
        public var timeoutSeconds: Double?
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, buckets, topics, subscriptions, workflows, functions, models, outputs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        buckets = try container.decodeIfPresent([BucketSpec].self, forKey: .buckets) ?? []
        topics = try container.decodeIfPresent([TopicSpec].self, forKey: .topics) ?? []
        subscriptions = try container.decodeIfPresent([SubscriptionSpec].self, forKey: .subscriptions) ?? []
        workflows = try container.decodeIfPresent([WorkflowSpec].self, forKey: .workflows) ?? []
        functions = try container.decodeIfPresent([FunctionSpec].self, forKey: .functions) ?? []
        models = try container.decodeIfPresent([ModelSpec].self, forKey: .models) ?? []
        outputs = try container.decodeIfPresent([String: String].self, forKey: .outputs) ?? [:]
    }

    /// Parses stack YAML. Unknown keys are errors naming the key, so a typo never silently
    /// drops a resource's setting.
    public init(yaml: String, path: String) throws(SluiceError) {
        try StackFileSize.check(yaml, path: path)
        do {
            self = try YAMLDecoder().decode(StackFile.self, from: yaml)
        } catch {
            throw SluiceError(.invalidArgument, "\(path): not a valid stack file: \(Self.describe(error))")
        }
        let tree: Any?
        do { tree = try Yams.load(yaml: yaml) } catch {
            throw SluiceError(.invalidArgument, "\(path): not valid YAML")
        }
        try StackKeys.check(tree, path: path)
        guard !name.isEmpty else { throw SluiceError(.invalidArgument, "\(path): the stack needs a name") }
        do { try StackApplier.validate(name: name) } catch {
            throw SluiceError(.invalidArgument, "\(path): \(error.message)")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "missing \(StackKeys.path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "wrong type or value at \(StackKeys.path(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }
}
