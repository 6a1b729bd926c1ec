import ArgumentParser
import NIOHTTP1
import SluiceCore
import SluiceEngine
import SluiceLog

extension ExecutionsCommand {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Re-run a failed execution on a (fixed) revision, reusing recorded results up to the first difference."
        )
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var remote: ServerOptions
        @Argument(help: "The failed execution's id (or give --where to replay many).") var id: String?
        @Option(
            name: .customLong("where"),
            help: ArgumentHelp(
                "Replay every failed execution whose execution.failed event matches, e.g. \"data.error.code = 503\" (repeatable; all must hold).",
                valueName: "expr"))
        var predicates: [String] = []
        @Option(help: "With --where: only failures recorded at or after this time (RFC 3339 or Unix seconds).")
        var since: String?
        @Option(help: "With --where: replay at most this many.") var limit: Int = 1_000
        @Option(help: "The revision to run: a number or 'latest'.") var revision: String = "latest"
        @Option(name: .customLong("from-step"), help: "Run this step and everything after it live.") var fromStep:
            String?
        @Flag(help: "Only report where the new revision diverges from the recorded history.") var dryRun = false
        @Option(help: "Why, for the audit trail.") var reason: String = "replay"
        @Option(help: "Who, for the audit trail.") var principal: String = "cli"
        @Option(name: .customLong("as"), help: "The new execution's id (default: ID-replay-N).") var replayID: String?

        func validate() throws {
            guard (id == nil) != predicates.isEmpty else {
                throw ValidationError("give either an execution id or --where to select failed executions")
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
            if id != nil, since != nil { throw ValidationError("--since applies to --where only") }
            if id == nil, replayID != nil {
                throw ValidationError("--as names one replay; it cannot be used with --where")
            }
        }

        func run() async throws {
            let pinned = try pinnedRevision()
            if let client = try remote.client() {
                try await remotely(client)
                return
            }
            guard let id else {
                let engine = try await EngineContext.open(database, existing: true)
                try await engine.closing { try await bulk(engine, revision: pinned) }
                return
            }
            let original = try ExecutionID(id)
            let engine = try await EngineContext.open(database, existing: true)
            try await engine.closing {
                if dryRun {
                    let report = try await engine.runner.dryRunReplay(
                        original, revision: pinned, liveFromStep: fromStep)
                    StandardOutput.line(report.json)
                    return
                }
                let replayID: ExecutionID
                if let chosen = self.replayID {
                    replayID = try ExecutionID(chosen)
                } else {
                    replayID = try await ReplaySelection.nextReplayID(of: original, runner: engine.runner)
                }
                try await engine.runner.replay(
                    original, as: replayID, revision: pinned, liveFromStep: fromStep, principal: principal,
                    reason: reason)
                StandardOutput.line(replayID.rawValue)
                try await Run.finish(replayID, engine: engine)
            }
        }

        private func pinnedRevision() throws -> Int64? {
            if revision == "latest" { return nil }
            guard let number = Int64(revision), number > 0 else {
                throw ValidationError("--revision must be a positive number or 'latest'")
            }
            return number
        }

        /// Through a server's replay API; the server runs the replays and records the token as principal.
        private func remotely(_ client: SluiceAPIClient) async throws {
            var body: [String: Any] = ["revision": Int64(revision).map { $0 as Any } ?? "latest", "reason": reason]
            if let fromStep { body["fromStep"] = fromStep }
            if dryRun { body["dryRun"] = true }
            guard let id else {
                body["where"] = predicates
                body["limit"] = limit
                if let since { body["since"] = since }
                let answer = try await client.json(.POST, "/v1/sluice/executions:replay", body: body)
                for replay in answer["replays"] as? [Any] ?? [] { StandardOutput.line(SluiceAPIClient.line(replay)) }
                return
            }
            if let replayID { body["replayId"] = replayID }
            let answer = try await client.json(
                .POST, "/v1/sluice/executions/" + SluiceAPIClient.encoded(id) + ":replay", body: body)
            if dryRun {
                StandardOutput.line(SluiceAPIClient.line(answer["report"] ?? [:]))
            } else {
                StandardOutput.line(answer["replay"] as? String ?? "")
            }
        }
    }
}
