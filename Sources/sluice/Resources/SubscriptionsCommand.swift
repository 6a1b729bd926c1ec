import ArgumentParser
import NIOHTTP1
import SluiceCore
import SluiceEngine

/// `sluice subscriptions redrive SUB --reason R`: hands dead-lettered messages back.
struct SubscriptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscriptions", abstract: "Give subscriptions' dead-lettered messages back to them.",
        subcommands: [Redrive.self])

    struct Redrive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Redeliver a subscription's dead-lettered messages, attempts counting from 1 again.",
            discussion:
                "SUB is a pull subscription, or eventarc-FUNCTION for the messages a function gave up. Only SUB "
                + "gets the messages again; the topic's other subscriptions see nothing. The redrive is recorded "
                + "with the principal and reason.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var remote: ServerOptions
        @Argument(help: "The subscription (or eventarc-FUNCTION).") var subscription: String
        @Option(help: "Why, for the audit trail.") var reason: String
        @Option(help: "Who, for the audit trail.") var principal: String = "cli"
        @Flag(help: "Print the outcome as JSON.") var json = false

        func run() async throws {
            let outcome: DeadLetterRedrive.Outcome
            if let client = try remote.client() {
                let answer = try await client.json(
                    .POST, "/v1/sluice/subscriptions/" + SluiceAPIClient.encoded(subscription) + ":redrive",
                    body: ["reason": reason])
                outcome = DeadLetterRedrive.Outcome(
                    target: answer["target"] as? String ?? "", messageIDs: answer["messageIds"] as? [String] ?? [])
            } else {
                let resources = try await ResourceContext.open(database)
                outcome = try await resources.closing {
                    try await DeadLetterRedrive.redrive(
                        subscription, log: resources.log, principal: principal, reason: reason)
                }
            }
            if json {
                let ids = outcome.messageIDs.map { JSONText.quote($0) }.joined(separator: ",")
                StandardOutput.line(
                    #"{"target":\#(JSONText.quote(outcome.target)),"redriven":\#(outcome.messageIDs.count),"messageIds":[\#(ids)]}"#
                )
            } else if outcome.messageIDs.isEmpty {
                StandardOutput.line("\(subscription): nothing is dead-lettered")
            } else {
                StandardOutput.line(
                    "\(subscription): redrove \(outcome.messageIDs.count) message(s): "
                        + outcome.messageIDs.joined(separator: ", "))
            }
        }
    }
}
