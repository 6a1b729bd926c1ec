import ArgumentParser
import Foundation
import SluiceResources
import SluiceWorkflows

/// `sluice buckets create NAME`.
struct BucketsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "buckets", abstract: "Create buckets and their notification configs.",
        subcommands: [Create.self, Notify.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a bucket.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The bucket name (GCS rules).") var name: String

        func run() async throws {
            let resources = try await ResourceContext.open(database)
            try await resources.closing { try await resources.buckets.create(name, principal: "cli") }
        }
    }

    struct Notify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notify", abstract: "Add a notification config: object changes publish to a topic.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The bucket.") var bucket: String
        @Option(help: "The topic messages go to.") var topic: String
        @Option(name: .customLong("event-type"), help: "OBJECT_FINALIZE etc. (repeatable; none means all).")
        var eventTypes: [String] = []
        @Option(help: "Only objects whose name starts with this.") var prefix: String?
        @Option(help: "JSON_API_V1 or NONE.") var payloadFormat: String = "JSON_API_V1"

        func run() async throws {
            let resources = try await ResourceContext.open(database)
            try await resources.closing {
                let id = try await resources.buckets.addNotification(
                    bucket: bucket, topic: topic, eventTypes: eventTypes, prefix: prefix, payloadFormat: payloadFormat)
                StandardOutput.line(String(id))
            }
        }
    }
}

/// `sluice topics create NAME` and `sluice topics subscribe SUB --topic T --start-workflow W`.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "Create topics and subscriptions whose function starts a workflow.",
        subcommands: [Create.self, Subscribe.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a topic.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The topic name.") var name: String

        func run() async throws {
            let resources = try await ResourceContext.open(database)
            try await resources.closing { try await resources.topics.create(topic: name) }
        }
    }

    struct Subscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a subscription whose function starts a workflow with each message.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The subscription name.") var name: String
        @Option(help: "The topic.") var topic: String
        @Option(help: "The workflow each message starts.") var startWorkflow: String

        func run() async throws {
            let resources = try await ResourceContext.open(database)
            try await resources.closing {
                try await resources.topics.subscribe(name, topic: topic, startingWorkflow: startWorkflow)
            }
        }
    }
}

/// `sluice upload BUCKET FILE [--name N]`: stores a file as an object; prints the object resource.
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Upload a file into a bucket; prints the object resource as JSON.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The bucket.") var bucket: String
    @Argument(help: "The file to upload.") var file: String
    @Option(help: "The object name (default: the file's name).") var name: String?
    @Option(help: "The content type.") var contentType: String = "application/octet-stream"

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InputFile.Unreadable("cannot read \(file): no such file or not readable")
        }
        let resources = try await ResourceContext.open(database)
        try await resources.closing {
            let object = try await resources.buckets.upload(
                bucket: bucket, name: name ?? (file as NSString).lastPathComponent, bytes: [UInt8](data),
                contentType: contentType, principal: "cli")
            StandardOutput.line((try? object.jsonAPIResource().jsonString()) ?? "{}")
        }
    }
}
