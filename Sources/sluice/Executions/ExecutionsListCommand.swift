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
        @Option(help: "Only executions in this state: ACTIVE, SUCCEEDED, FAILED or CANCELLED.") var state: String?
        @Flag(help: "Print JSON lines instead of a table.") var json = false

        static let states = ["ACTIVE", "SUCCEEDED", "FAILED", "CANCELLED"]

        func validate() throws {
            guard (1...1_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
            if let state, !Self.states.contains(state) {
                throw ValidationError("--state must be one of \(Self.states.joined(separator: ", ")), not \(state)")
            }
        }

        func run() async throws {
            let rows: [(id: String, state: String, line: String)]
            if let client = try remote.client() {
                let answer = try await client.json(
                    .GET,
                    "/v1/projects/local/locations/local/workflows/\(SluiceAPIClient.encoded(workflow))/executions"
                        + "?pageSize=\(limit)" + (state.map { "&filter=state%3D" + $0 } ?? ""))
                rows = (answer["executions"] as? [[String: Any]] ?? []).map { execution in
                    let name = execution["name"] as? String ?? ""
                    return (
                        String(name.split(separator: "/").last ?? ""), execution["state"] as? String ?? "",
                        SluiceAPIClient.line(execution)
                    )
                }
            } else {
                let engine = try await EngineContext.open(database, existing: true)
                rows = try await engine.closing { try await localRows(engine) }
            }
            if json {
                for row in rows { StandardOutput.line(row.line) }
            } else {
                StandardOutput.line(RemoteCommands.table(["EXECUTION", "STATE"], rows.map { [$0.id, $0.state] }))
            }
        }

        /// The newest `limit` executions of the workflow in `state` (any without one), read from
        /// the log a page of starts at a time.
        private func localRows(_ engine: EngineContext) async throws -> [(id: String, state: String, line: String)] {
            var rows: [(id: String, state: String, line: String)] = []
            var before: Int64?
            repeat {
                let started = try await engine.log.query(
                    EventQuery(
                        streamPrefix: "execution/", types: [ExecutionEventType.started],
                        predicates: [
                            try FieldPredicate(
                                parsing: "data.workflow = '\(workflow.replacingOccurrences(of: "'", with: ""))'")
                        ], limit: 500, newestFirst: true, before: before))
                for event in started.events where rows.count < limit {
                    let id = String(event.stream.rawValue.dropFirst("execution/".count))
                    let history = try await engine.runner.history(of: try ExecutionID(id))
                    let executionState =
                        switch history.ending {
                        case nil: "ACTIVE"
                        case .succeeded?: "SUCCEEDED"
                        case .failed?: "FAILED"
                        case .cancelled?: "CANCELLED"
                        }
                    guard state == nil || state == executionState else { continue }
                    rows.append((id, executionState, ExecutionJSON.summary(id: id, history: history)))
                }
                before = started.nextCursor
            } while before != nil && rows.count < limit
            return rows
        }
    }
}
