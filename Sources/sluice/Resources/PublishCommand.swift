import ArgumentParser
import Foundation
import NIOHTTP1
import SluiceCore
import SluiceResources

/// `sluice publish TOPIC (--data TEXT | --file F) [--attribute K=V]... [--ordering-key K]`:
/// publishes one message; prints its id as `{"messageIds": [...]}`, as Pub/Sub's publish answers.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Publish a message to a topic; prints its message id.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var remote: ServerOptions
    @Argument(help: "The topic.") var topic: String
    @Option(help: "The message data, as text.") var data: String?
    @Option(help: "A file whose bytes are the message data.") var file: String?
    @Option(name: .customLong("attribute"), help: "An attribute KEY=VALUE (repeatable).") var attributes: [String] = []
    @Option(help: "The ordering key.") var orderingKey: String = ""

    func validate() throws {
        guard (data == nil) != (file == nil) else { throw ValidationError("give exactly one of --data or --file") }
    }

    func run() async throws {
        let bytes = try file.map(InputFile.bytes) ?? Array((data ?? "").utf8)
        let attributes = try KeyValueOption.parse(self.attributes, what: "--attribute")
        let ids: [String]
        if let client = try remote.client() {
            var message: [String: Any] = ["data": Data(bytes).base64EncodedString()]
            if !attributes.isEmpty { message["attributes"] = attributes }
            if !orderingKey.isEmpty { message["orderingKey"] = orderingKey }
            let answer = try await client.json(
                .POST, "/v1/projects/local/topics/\(SluiceAPIClient.encoded(topic)):publish",
                body: ["messages": [message]])
            ids = answer["messageIds"] as? [String] ?? []
        } else {
            let resources = try await ResourceContext.open(database)
            ids = try await resources.closing {
                try await resources.pubsub.publish(
                    topic: topic,
                    [
                        PubsubMessage(
                            messageID: "", publishTime: Timestamp(microseconds: 0),
                            attributes: ExactStringMap(attributes), data: bytes,
                            orderingKey: orderingKey)
                    ], metadata: .cli)
            }
        }
        StandardOutput.line(SluiceAPIClient.line(["messageIds": ids]))
    }
}
