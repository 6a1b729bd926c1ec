public import SluiceCore
public import SluiceResources

/// A stack file resolved into the resource configurations it asks for: names validated, files
/// read, defaults filled in, so planning compares like with like.
public struct StackDesired: Sendable {
    public struct Bucket: Sendable, Hashable {
        public var name: String
        public var versioning: Bool
        public var notifications: [NotificationConfig]
    }

    public struct Workflow: Sendable, Hashable {
        public var name: String
        public var source: String
        public var serviceAccount: String?
    }

    public struct Model: Sendable, Hashable {
        public var name: String
        public var json: [UInt8]
    }

    public var name: String
    public var buckets: [Bucket] = []
    public var topics: [String] = []
    public var subscriptions: [SubscriptionConfig] = []
    public var workflows: [Workflow] = []
    public var functions: [FunctionConfig] = []
    public var models: [Model] = []
    public var outputs: [String: String] = [:]

    /// Every resource the stack owns, as `kind/name`.
    public var resources: [String] {
        buckets.map { "bucket/" + $0.name } + topics.map { "topic/" + $0 }
            + subscriptions.map { "subscription/" + $0.name.rawValue } + workflows.map { "workflow/" + $0.name }
            + functions.map { "function/" + $0.name.rawValue } + models.map { "model/" + $0.name }
    }

    public init(_ file: StackFile, source: any StackSource) throws(SluiceError) {
        name = file.name
        outputs = file.outputs
        topics = try file.topics.map { (spec) throws(SluiceError) in try TopicName(spec.name).rawValue }
        for spec in file.buckets {
            let bucket = try BucketName(spec.name)
            var notifications: [NotificationConfig] = []
            for notification in spec.notifications ?? [] {
                notifications.append(try Self.notification(notification, bucket: bucket.rawValue))
            }
            buckets.append(
                Bucket(name: bucket.rawValue, versioning: spec.versioning ?? false, notifications: notifications))
        }
        for spec in file.subscriptions {
            let config = SubscriptionConfig(
                name: try SubscriptionName(spec.name), topic: try TopicName(spec.topic),
                ackDeadlineSeconds: spec.ackDeadlineSeconds ?? 0,
                retryPolicy: spec.minimumBackoffSeconds == nil && spec.maximumBackoffSeconds == nil
                    ? nil
                    : RetryPolicy(
                        minimumBackoffSeconds: spec.minimumBackoffSeconds ?? 10,
                        maximumBackoffSeconds: spec.maximumBackoffSeconds ?? 600),
                deadLetterPolicy: try spec.deadLetterTopic.map { (topic) throws(SluiceError) in
                    DeadLetterPolicy(
                        deadLetterTopic: try TopicName(topic), maxDeliveryAttempts: spec.maxDeliveryAttempts ?? 5)
                },
                filter: spec.filter, enableMessageOrdering: spec.enableMessageOrdering ?? false,
                enableExactlyOnceDelivery: spec.enableExactlyOnceDelivery ?? false)
            try config.validate()
            subscriptions.append(config)
        }
        for spec in file.workflows {
            let text: String
            switch (spec.source, spec.sourceContents) {
            case (let path?, nil): text = String(decoding: try source.read(path), as: UTF8.self)
            case (nil, let contents?): text = contents
            default:
                throw SluiceError(
                    .invalidArgument, "workflow \(spec.name): give exactly one of source or sourceContents")
            }
            workflows.append(Workflow(name: spec.name, source: text, serviceAccount: spec.serviceAccount))
        }
        for spec in file.functions {
            functions.append(try Self.function(spec))
        }
        for spec in file.models {
            models.append(Model(name: spec.name, json: try Self.modelJSON(spec, source: source)))
        }
        try checkUnique()
    }

    private func checkUnique() throws(SluiceError) {
        var seen: Set<String> = []
        for resource in resources where !seen.insert(resource).inserted {
            throw SluiceError(.invalidArgument, "the stack declares \(resource) twice")
        }
    }

    static func notification(_ spec: StackFile.NotificationSpec, bucket: String) throws(SluiceError)
        -> NotificationConfig
    {
        var types: [NotificationEventType] = []
        for text in spec.eventTypes ?? [] {
            guard let type = NotificationEventType(rawValue: text) else {
                throw SluiceError(.invalidArgument, "bucket \(bucket): unknown notification event type \(text)")
            }
            types.append(type)
        }
        let formatText = spec.payloadFormat ?? "JSON_API_V1"
        guard let format = NotificationPayloadFormat(rawValue: formatText) else {
            throw SluiceError(.invalidArgument, "bucket \(bucket): payloadFormat must be JSON_API_V1 or NONE")
        }
        let config = NotificationConfig(
            id: 0, topic: try TopicName(resource: spec.topic), eventTypes: types,
            customAttributes: ExactStringMap(spec.customAttributes ?? [:]), payloadFormat: format,
            objectNamePrefix: spec.objectNamePrefix)
        try config.validate()
        return config
    }

    static func function(_ spec: StackFile.FunctionSpec) throws(SluiceError) -> FunctionConfig {
        var targets: [FunctionTarget] = []
        if let workflow = spec.startWorkflow { targets.append(.startWorkflow(workflow: workflow)) }
        if let url = spec.url { targets.append(.http(url: url)) }
        if let command = spec.command { targets.append(.command(arguments: command)) }
        guard targets.count == 1, let target = targets.first else {
            throw SluiceError(
                .invalidArgument, "function \(spec.name): give exactly one of startWorkflow, url or command")
        }
        let config = FunctionConfig(
            name: try FunctionName(spec.name), triggerTopic: try TopicName(spec.triggerTopic), target: target,
            retryOnFailure: spec.retry ?? false, timeoutSeconds: spec.timeoutSeconds ?? 60,
            maxInstances: spec.maxInstances ?? 10,
            deadLetterTopic: try spec.deadLetterTopic.map { (name) throws(SluiceError) in try TopicName(name) },
            maxDeliveryAttempts: spec.maxDeliveryAttempts)
        try config.validate()
        return config
    }
}
