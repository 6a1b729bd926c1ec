import Foundation
import SluiceTesting
import Testing

@Suite("sluice executions replay --where replays every matching failed execution once")
struct BulkReplayTests {
    static let failing =
        "main:\n  params: [args]\n  steps:\n    - fail:\n        raise:\n          code: ${args.code}\n"
    static let fixed = "main:\n  params: [args]\n  steps:\n    - ok:\n        return: ${args.code}\n"

    /// A database with workflow `flaky` whose executions failed with codes 503, 503 and 400, and
    /// then a fixed revision deployed.
    func failedRuns(_ binary: SluiceBinary) async throws -> String {
        let directory = ScratchSpace.url("sluice-bulk-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("sluice.db").path
        for (name, source) in [("v1.yaml", Self.failing), ("v2.yaml", Self.fixed)] {
            try Data(source.utf8).write(to: directory.appendingPathComponent(name))
        }
        let v1 = directory.appendingPathComponent("v1.yaml").path
        #expect(try await binary.run(["workflows", "deploy", "flaky", v1, "--db", database]).status == 0)
        for code in [503, 503, 400] {
            _ = try await binary.run([
                "executions", "start", "flaky", "--data", "{\"code\": \(code)}", "--run", "--db", database,
            ])
        }
        let v2 = directory.appendingPathComponent("v2.yaml").path
        #expect(try await binary.run(["workflows", "deploy", "flaky", v2, "--db", database]).status == 0)
        return database
    }

    static func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test("executions list --state lists only the executions in that state, newest first")
    func listByState() async throws {
        let binary = try SluiceBinary.locate()
        let database = try await failedRuns(binary)
        _ = try await binary.run([
            "executions", "start", "flaky", "--data", "{\"code\": 7}", "--run", "--db", database,
        ])
        let failed = try await binary.run([
            "executions", "list", "--workflow", "flaky", "--state", "FAILED", "--json", "--db", database,
        ])
        #expect(Self.lines(failed.stdout).map { $0["state"] as? String } == ["FAILED", "FAILED", "FAILED"])
        let succeeded = try await binary.run([
            "executions", "list", "--workflow", "flaky", "--state", "SUCCEEDED", "--limit", "1", "--db", database,
        ])
        #expect(succeeded.stdout.split(separator: "\n").count == 2, "a header and one row: \(succeeded.stdout)")
        let refused = try await binary.run(["executions", "list", "--workflow", "flaky", "--state", "DONE"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--state must be one of"))
    }

    @Test("the failures that match are replayed on the fixed revision; the others, and a second run, replay nothing")
    func matchingFailuresAreReplayedOnce() async throws {
        let binary = try SluiceBinary.locate()
        let database = try await failedRuns(binary)
        let dry = try await binary.run([
            "executions", "replay", "--where", "data.error.code = 503", "--dry-run", "--db", database,
        ])
        #expect(dry.status == 0)
        #expect(Self.lines(dry.stdout).count == 2)
        #expect(
            try await binary.run(["events", "query", "--type", "execution.replayed", "--json", "--db", database]).stdout
                .isEmpty)

        let replayed = try await binary.run([
            "executions", "replay", "--where", "data.error.code = 503", "--reason", "backend fixed", "--principal",
            "alice", "--db", database,
        ])
        #expect(replayed.status == 0)
        let outcomes = Self.lines(replayed.stdout)
        #expect(outcomes.map { $0["state"] as? String } == ["SUCCEEDED", "SUCCEEDED"])
        #expect(replayed.stderr.contains("replay: 2/2 (100%)"))
        let audit = Self.lines(
            try await binary.run(["events", "query", "--type", "execution.replayed", "--json", "--db", database]).stdout
        )
        #expect(audit.count == 2)
        #expect(audit.allSatisfy { ($0["metadata"] as? [String: Any])?["principal"] as? String == "alice" })

        let again = try await binary.run(["executions", "replay", "--where", "data.error.code = 503", "--db", database])
        #expect(again.status == 0)
        #expect(again.stdout.isEmpty)
    }

    @Test("an id and --where together, or neither, are refused")
    func selectionIsExclusive() async throws {
        let binary = try SluiceBinary.locate()
        #expect(try await binary.run(["executions", "replay", "x", "--where", "data.a = 1"]).status != 0)
        #expect(try await binary.run(["executions", "replay"]).status != 0)
    }
}
