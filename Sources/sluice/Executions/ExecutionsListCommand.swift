import ArgumentParser
import Foundation
import NIOHTTP1
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceLogSQLite

extension ExecutionsCommand {
    /// `sluice executions list --workflow W`: a workflow's executions in start order, with their
    /// states; one JSON object per line with `--json`, a table otherwise.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a workflow's executions, newest first, and their states.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var remote: ServerOptions
        @Option(help: "The workflow.") var workflow: String
        @Option(help: "At most this many.") var limit: Int = 100
        @Flag(help: "Print JSON lines instead of a table.") var json = false

        func validate() throws {
            guard (1...1_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
        }

        func run() async throws {
            let rows: [(id: String, state: String, line: String)]
            if let client = try remote.client() {
                let answer = try await client.json(
                    .GET,
                    "/v1/projects/local/locations/local/workflows/\(SluiceAPIClient.encoded(workflow))/executions"
                        + "?pageSize=\(limit)")
                rows = (answer["executions"] as? [[String: Any]] ?? []).map { execution in
                    let name = execution["name"] as? String ?? ""
                    return (
                        String(name.split(separator: "/").last ?? ""), execution["state"] as? String ?? "",
                        SluiceAPIClient.line(execution)
                    )
                }
            } else {
                let engine = try await EngineContext.open(database)
                rows = try await engine.closing {
                    let started = try await engine.log.query(
                        EventQuery(
                            streamPrefix: "execution/", types: [ExecutionEventType.started],
                            predicates: [
                                try FieldPredicate(
                                    parsing: "data.workflow = '\(workflow.replacingOccurrences(of: "'", with: ""))'")
                            ], limit: limit, newestFirst: true))
                    var rows: [(id: String, state: String, line: String)] = []
                    for event in started.events {
                        let id = String(event.stream.rawValue.dropFirst("execution/".count))
                        let history = try await engine.runner.history(of: try ExecutionID(id))
                        let line = ExecutionJSON.summary(id: id, history: history)
                        let state =
                            switch history.ending {
                            case nil: "ACTIVE"
                            case .succeeded?: "SUCCEEDED"
                            case .failed?: "FAILED"
                            case .cancelled?: "CANCELLED"
                            }
                        rows.append((id, state, line))
                    }
                    return rows
                }
            }
            if json {
                for row in rows { StandardOutput.line(row.line) }
            } else {
                StandardOutput.line(RemoteCommands.table(["EXECUTION", "STATE"], rows.map { [$0.id, $0.state] }))
            }
        }
    }
}
