import ArgumentParser
import Foundation
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
        subcommands: [Start.self, Run.self, Get.self, Cancel.self, Replay.self]
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
            let engine = try await EngineContext.open(database)
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
        @Argument(help: "The execution id.") var id: String

        func run() async throws {
            let executionID = try ExecutionID(id)
            let engine = try await EngineContext.open(database)
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
        @Argument(help: "The execution id.") var id: String
        @Option(help: "Why, for the audit trail.") var reason: String
        @Option(help: "Who, for the audit trail.") var principal: String = "cli"

        func run() async throws {
            let executionID = try ExecutionID(id)
            let engine = try await EngineContext.open(database)
            try await engine.closing {
                try await engine.runner.cancel(executionID, reason: reason, principal: principal)
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Re-run a failed execution on a (fixed) revision, reusing recorded results up to the first difference."
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The failed execution's id.") var id: String
        @Option(help: "The revision to run: a number or 'latest'.") var revision: String = "latest"
        @Option(name: .customLong("from-step"), help: "Run this step and everything after it live.") var fromStep:
            String?
        @Flag(help: "Only report where the new revision diverges from the recorded history.") var dryRun = false
        @Option(help: "Why, for the audit trail.") var reason: String = "replay"
        @Option(name: .customLong("as"), help: "The new execution's id (default: ID-replay-N).") var replayID: String?

        func run() async throws {
            let original = try ExecutionID(id)
            let pinned: Int64?
            if revision == "latest" {
                pinned = nil
            } else if let number = Int64(revision), number > 0 {
                pinned = number
            } else {
                throw ValidationError("--revision must be a positive number or 'latest'")
            }
            let engine = try await EngineContext.open(database)
            try await engine.closing {
                if dryRun {
                    let report = try await engine.runner.dryRunReplay(
                        original, revision: pinned, liveFromStep: fromStep)
                    StandardOutput.line(ReplayReportText.render(report))
                    return
                }
                let replayID = try await nextID(original, engine: engine)
                try await engine.runner.replay(
                    original, as: replayID, revision: pinned, liveFromStep: fromStep, principal: "cli", reason: reason)
                StandardOutput.line(replayID.rawValue)
                try await Run.finish(replayID, engine: engine)
            }
        }

        private func nextID(_ original: ExecutionID, engine: EngineContext) async throws -> ExecutionID {
            if let chosen = replayID { return try ExecutionID(chosen) }
            for attempt in 1...1_000 {
                let candidate = try ExecutionID(String(original.rawValue.prefix(50)) + "-replay-\(attempt)")
                if try await engine.runner.history(of: candidate).start == nil { return candidate }
            }
            throw SluiceError(
                .alreadyExists, "execution \(original) has been replayed 1000 times; name the replay with --as")
        }
    }
}

/// The dry-run report, one JSON object.
enum ReplayReportText {
    static func render(_ report: ReplayReport) -> String {
        var map: [(String, WorkflowValue)] = [("reusableEffects", .int(Int64(report.reusableEffects)))]
        if let divergence = report.divergence {
            map.append(
                (
                    "divergence",
                    .object([
                        "effectId": .string(divergence.effectID), "routine": .string(divergence.routine),
                        "step": .string(divergence.step), "function": .string(divergence.function),
                        "reason": .string(divergence.reason),
                    ])
                ))
        }
        switch report.ending {
        case .succeeded(let value)?: map.append(("wouldSucceedWith", value))
        case .failed(let error)?: map.append(("wouldFailWith", error.errorMap))
        default: break
        }
        var dictionary = WorkflowValue.object([:]).mapValue ?? [:]
        for (key, value) in map { dictionary[key] = value }
        return (try? WorkflowValue.map(dictionary).jsonString()) ?? "{}"
    }
}
