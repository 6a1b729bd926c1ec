import ArgumentParser
import Foundation
import OrderedCollections
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceLogSQLite
import SluiceWorkflows

extension ExecutionsCommand.Replay {
    /// Replays (or, with `--dry-run`, reports on) every failed execution whose `execution.failed`
    /// event matches `--where`, skipping those replayed already; one JSON line per execution on
    /// standard output, progress on standard error. Fails when any replay fails.
    func bulk(_ engine: EngineContext, revision: Int64?) async throws {
        let selected = try await failedExecutions(engine)
        StandardOutput.errorLine("replay: \(selected.count) failed execution(s) match")
        var progress = ProgressReporter(dryRun ? "dry run" : "replay", total: selected.count)
        var failures = 0
        for original in selected {
            defer { progress.advance() }
            var line: [(String, WorkflowValue)] = [("execution", .string(original.rawValue))]
            do {
                if dryRun {
                    let report = try await engine.runner.dryRunReplay(
                        original, revision: revision, liveFromStep: fromStep)
                    line.append(("report", report.value))
                } else {
                    let replay = try await ReplaySelection.nextReplayID(of: original, runner: engine.runner)
                    try await engine.runner.replay(
                        original, as: replay, revision: revision, liveFromStep: fromStep, principal: principal,
                        reason: reason)
                    let outcome = try await engine.runner.run(replay)
                    line.append(("replay", .string(replay.rawValue)))
                    switch outcome.ending {
                    case .succeeded: line.append(("state", "SUCCEEDED"))
                    case .failed(let error):
                        failures += 1
                        line += [("state", "FAILED"), ("error", error.errorMap)]
                    case .cancelled: line.append(("state", "CANCELLED"))
                    }
                }
            } catch {
                failures += 1
                line.append(("error", .string("\(error)")))
            }
            StandardOutput.line(
                (try? WorkflowValue.map(OrderedDictionary(uniqueKeysWithValues: line)).jsonString()) ?? "{}")
        }
        if failures > 0 {
            StandardOutput.errorLine("replay: \(failures) of \(selected.count) did not succeed")
            throw ExitCode.failure
        }
    }

    /// The executions whose failure matches `--where` and `--since`, at most `--limit`.
    private func failedExecutions(_ engine: EngineContext) async throws -> [ExecutionID] {
        let since = try since.map { text in
            guard let micros = Timestamps.parse(text) else {
                throw ValidationError("--since '\(text)' is not an RFC 3339 time or Unix seconds")
            }
            return micros
        }
        return try await ReplaySelection.failedExecutions(
            in: engine.log, matching: try predicates.map { try FieldPredicate(parsing: $0) }, since: since,
            limit: limit)
    }
}
