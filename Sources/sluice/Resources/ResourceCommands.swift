import ArgumentParser
import Foundation
import NIOHTTP1
import SluiceCore
import SluiceResources

/// `sluice buckets create NAME` and `sluice buckets notify BUCKET --topic T`.
struct BucketsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "buckets", abstract: "Create buckets and their notification configs.",
        subcommands: [Create.self, Notify.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a bucket.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The bucket name (Cloud Storage rules).") var name: String
        @Flag(help: "Keep noncurrent generations when objects are overwritten or deleted.") var versioning = false

        func run() async throws {
            let resources = try await ResourceContext.open(database)
            try await resources.closing {
                _ = try await resources.storage.createBucket(name, versioningEnabled: versioning, metadata: .cli)
            }
        }
    }

    struct Notify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notify",
            abstract: "Add a notification config: object changes publish to a topic; prints the config id.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The bucket.") var bucket: String
        @Option(help: "The topic messages go to.") var topic: String
        @Option(
            name: .customLong("event-type"),
            help:
                "OBJECT_FINALIZE, OBJECT_METADATA_UPDATE, OBJECT_DELETE or OBJECT_ARCHIVE (repeatable; none means all)."
        )
        var eventTypes: [String] = []
        @Option(help: "Only objects whose name starts with this.") var prefix: String?
        @Option(help: "JSON_API_V1 or NONE.") var payloadFormat: String = "JSON_API_V1"
        @Option(
            name: .customLong("attribute"), help: "A custom attribute KEY=VALUE added to every message (repeatable).")
        var attributes: [String] = []

        func run() async throws {
            let draft = NotificationConfig(
                id: 0, topic: try TopicName(topic), eventTypes: try eventTypes.map(Self.eventType),
                customAttributes: ExactStringMap(try KeyValueOption.parse(attributes, what: "--attribute")),
                payloadFormat: try Self.payloadFormat(payloadFormat), objectNamePrefix: prefix)
            let resources = try await ResourceContext.open(database)
            try await resources.closing {
                let config = try await resources.storage.createNotification(draft, bucket: bucket, metadata: .cli)
                StandardOutput.line(String(config.id))
            }
        }

        static func eventType(_ text: String) throws -> NotificationEventType {
            guard let type = NotificationEventType(rawValue: text) else {
                throw ValidationError(
                    "unknown event type \(text): use OBJECT_FINALIZE, OBJECT_METADATA_UPDATE, OBJECT_DELETE or OBJECT_ARCHIVE"
                )
            }
            return type
        }

        static func payloadFormat(_ text: String) throws -> NotificationPayloadFormat {
            guard let format = NotificationPayloadFormat(rawValue: text) else {
                throw ValidationError("--payload-format must be JSON_API_V1 or NONE, not \(text)")
            }
            return format
        }
    }
}

/// `sluice topics create NAME` and `sluice topics subscribe SUB --topic T`.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "Create topics and their subscriptions.",
        subcommands: [Create.self, Subscribe.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a topic.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The topic name.") var name: String

        func run() async throws {
            let resources = try await ResourceContext.open(database)
            try await resources.closing { try await resources.pubsub.createTopic(name, metadata: .cli) }
        }
    }

    struct Subscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a pull subscription of a topic.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The subscription name.") var name: String
        @Option(help: "The topic.") var topic: String
        @Option(help: "Seconds a pulled message stays leased (10-600).") var ackDeadline: Int64 = 10
        @Option(help: "An attribute filter, in Pub/Sub's filter syntax.") var filter: String?
        @Flag(help: "Deliver messages with the same ordering key in order.") var ordering = false

        func run() async throws {
            let config = SubscriptionConfig(
                name: try SubscriptionName(name), topic: try TopicName(topic), ackDeadlineSeconds: ackDeadline,
                filter: filter, enableMessageOrdering: ordering)
            let resources = try await ResourceContext.open(database)
            try await resources.closing { try await resources.pubsub.createSubscription(config, metadata: .cli) }
        }
    }
}

/// `sluice functions deploy NAME --trigger-topic T (--start-workflow W | --url U | -- COMMAND...)`.
struct FunctionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "functions", abstract: "Deploy functions that run for each message of a topic.",
        subcommands: [Deploy.self])

    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deploy (or redeploy) a function triggered by a topic.",
            discussion:
                "Exactly one target: --start-workflow W starts workflow W with the CloudEvent's data; "
                + "--url U POSTs the CloudEvent to U (2xx acknowledges); a command after -- gets the CloudEvent "
                + "as JSON on stdin (exit status 0 acknowledges).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The function name.") var name: String
        @Option(help: "The topic whose messages trigger the function.") var triggerTopic: String
        @Option(help: "A workflow to start for each message.") var startWorkflow: String?
        @Option(help: "An HTTP endpoint to POST each CloudEvent to.") var url: String?
        @Flag(help: "Retry failed invocations with backoff (10 s doubling to 600 s) for up to 7 days.")
        var retry = false
        @Option(help: "Seconds one invocation may run (1-540).") var timeout: Int64 = 60
        @Option(help: "Most invocations running at once.") var maxInstances: Int = 10
        @Option(help: "A topic that receives the messages the function gives up on.") var deadLetterTopic: String?
        @Option(help: "Attempts before a message is given up (5-100; needs --retry).") var maxDeliveryAttempts: Int?
        @Argument(parsing: .postTerminator, help: "The command to run for each message.") var command: [String] = []

        func run() async throws {
            let targets: [FunctionTarget] =
                [startWorkflow.map { .startWorkflow(workflow: $0) }, url.map { .http(url: $0) }]
                .compactMap { $0 } + (command.isEmpty ? [] : [.command(arguments: command)])
            guard targets.count == 1, let target = targets.first else {
                throw ValidationError("give exactly one of --start-workflow, --url or a command after --")
            }
            let config = FunctionConfig(
                name: try FunctionName(name), triggerTopic: try TopicName(triggerTopic), target: target,
                retryOnFailure: retry, timeoutSeconds: timeout, maxInstances: maxInstances,
                deadLetterTopic: try deadLetterTopic.map { (name) throws(SluiceError) in try TopicName(name) },
                maxDeliveryAttempts: maxDeliveryAttempts)
            let resources = try await ResourceContext.open(database)
            try await resources.closing { try await resources.functions.deploy(config, metadata: .cli) }
        }
    }
}

extension EventMetadata {
    /// Changes made from the command line.
    static let cli = EventMetadata(principal: "cli")
}

/// `KEY=VALUE` options.
enum KeyValueOption {
    static func parse(_ pairs: [String], what: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("\(what) takes KEY=VALUE, not \(pair)")
            }
            result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return result
    }
}
