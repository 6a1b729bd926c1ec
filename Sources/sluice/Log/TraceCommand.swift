import ArgumentParser
import Foundation
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources

/// `sluice trace`: one upload's journey (upload, notification, message, function, execution
/// steps and effects, stored result) as a timeline.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Show one journey through the pipeline: every event sharing a correlation id, with timings.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var remote: ServerOptions
    @Option(help: "The correlation id.") var correlation: String?
    @Option(help: "An object as gs://BUCKET/NAME (its latest change).") var object: String?
    @Option(help: "An execution id.") var execution: String?
    @Flag(help: "Print JSON lines.") var json = false

    func validate() throws {
        guard [correlation, object, execution].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --correlation, --object or --execution")
        }
    }

    func run() async throws {
        if let client = try remote.client() {
            let target =
                correlation.map { ("correlation", $0) } ?? execution.map { ("execution", $0) } ?? (
                    "object", object ?? ""
                )
            try await RemoteCommands.trace(client, target: target, json: json)
            return
        }
        let log = try await database.openExisting()
        try await log.closing {
            let id = try await resolve(log)
            let trace = try await JourneyTrace.load(log, correlationID: id)
            if json {
                for step in trace.steps { StandardOutput.line(step.json) }
                return
            }
            StandardOutput.line("journey \(trace.correlationID): \(trace.steps.count) events")
            for step in trace.steps {
                let offset = String(format: "%10.3f ms", Double(step.offsetMicros) / 1_000)
                let type = step.type.padding(toLength: 26, withPad: " ", startingAt: 0)
                StandardOutput.line("\(offset)  \(type)  \(step.stream)  \(step.summary)")
            }
        }
    }

    private func resolve(_ log: any EventLog) async throws -> String {
        let target: JourneyTrace.Target =
            if let correlation { .correlation(correlation) } else if let execution {
                .execution(execution)
            } else { .object(object ?? "") }
        return try await JourneyTrace.correlation(of: target, in: log)
    }
}
