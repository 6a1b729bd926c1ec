import ArgumentParser
import Foundation
import NIOHTTP1
import OrderedCollections
import SluiceCore
import SluiceEngine
import SluiceLogSQLite
import SluiceWorkflows

/// `sluice executions`: start, run, inspect, cancel and replay workflow executions in the data
/// directory's log (until the server exists, directly on the database).
struct ExecutionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executions",
        abstract: "Start, run, inspect, cancel and replay workflow executions.",
        subcommands: [Start.self, Run.self, Get.self, List.self, Cancel.self, Replay.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a new execution of a deployed workflow.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The workflow's name.") var workflow: String
        @Option(help: "The argument as JSON.") var data: String?
        @Option(help: "The execution id (default: a new UUID).") var id: String?
        @Flag(help: "Also run it to its end and print how it ended.") var run = false

        func run() async throws {
            let executionID = try ExecutionID(id ?? UUID().uuidString.lowercased())
            let argument: WorkflowValue
            do {
                argument = try data.map { try JSONReader.parse($0) } ?? .null
            } catch {
                throw ValidationError("--data is not valid JSON")
            }
            let engine = try await EngineContext.open(database)
            try await engine.closing {
                let revision = try await engine.catalog.latestRevision(of: workflow)
                let start = ExecutionStart(workflow: workflow, revision: revision, argument: argument)
                guard try await engine.runner.start(executionID, start, metadata: EventMetadata(principal: "cli"))
                else {
                    throw SluiceError(.alreadyExists, "execution \(executionID) exists already")
                }
                StandardOutput.line(executionID.rawValue)
                if run { try await Run.finish(executionID, engine: engine) }
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run or resume an execution to its end; prints the result, or the error map and exits 1."
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The execution id.") var id: String

        func run() async throws {
            let executionID = try ExecutionID(id)
            let engine = try await EngineContext.open(database, existing: true)
            try await engine.closing { try await Self.finish(executionID, engine: engine) }
        }

        static func finish(_ id: ExecutionID, engine: EngineContext) async throws {
            let outcome = try await engine.runner.run(id)
            switch outcome.ending {
            case .succeeded(let value):
                StandardOutput.line((try? value.jsonString()) ?? "null")
            case .failed(let error):
                StandardOutput.line((try? error.errorMap.jsonString()) ?? "{}")
                throw ExitCode.failure
            case .cancelled(let reason):
                StandardOutput.line(
                    #"{"cancelled":true,"reason":\#((try? WorkflowValue.string(reason).jsonString()) ?? "\"\"")}"#)
                throw ExitCode.failure
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an execution's state as JSON.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var remote: ServerOptions
        @Argument(help: "The execution id.") var id: String

        func run() async throws {
            let executionID = try ExecutionID(id)
            if let client = try remote.client() {
                // Through a server: the Executions API resource.
                StandardOutput.line(
                    SluiceAPIClient.line(try await client.json(.GET, RemoteCommands.executionPath(id))))
                return
            }
            let engine = try await EngineContext.open(database, existing: true)
            try await engine.closing {
                let history = try await engine.runner.history(of: executionID)
                guard history.start != nil else {
                    throw SluiceError(.notFound, "execution \(executionID) does not exist")
                }
                StandardOutput.line(ExecutionJSON.summary(id: executionID.rawValue, history: history))
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an execution, recording who and why.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var remote: ServerOptions
        @Argument(help: "The execution id.") var id: String
        @Option(help: "Why, for the audit trail.") var reason: String
        @Option(help: "Who, for the audit trail.") var principal: String = "cli"

        func run() async throws {
            let executionID = try ExecutionID(id)
            if let client = try remote.client() {
                // The server records the token as principal and its own reason.
                _ = try await client.json(.POST, RemoteCommands.executionPath(id) + ":cancel", body: [:])
                return
            }
            let engine = try await EngineContext.open(database, existing: true)
            try await engine.closing {
                try await engine.runner.cancel(executionID, reason: reason, principal: principal)
            }
        }
    }
}
