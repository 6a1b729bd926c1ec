import Foundation
import SluiceTesting
import Testing

/// The CLI is an interface users script against; its help text changes only on purpose.
@Suite("The help output of every command matches its saved copy")
struct HelpOutputTests {
    static let commands: [[String]] = [
        [],
        ["serve"],
        ["migrate"],
        ["events", "append"],
        ["events", "query"],
        ["events", "tail"],
        ["admin", "verify"],
        ["admin", "rebuild-projections"],
        ["workflows", "run"],
        ["workflows", "validate"],
        ["workflows", "deploy"],
        ["executions", "start"],
        ["executions", "run"],
        ["executions", "get"],
        ["executions", "cancel"],
        ["executions", "replay"],
        ["buckets", "create"],
        ["buckets", "notify"],
        ["topics", "create"],
        ["topics", "subscribe"],
        ["functions", "deploy"],
        ["apply"],
        ["destroy"],
        ["trace"],
        ["upload"],
        ["tokens", "create"],
        ["tokens", "list"],
        ["tokens", "revoke"],
        ["bench", "log"],
        ["bench", "interpreter"],
    ]

    /// `Tests/SluiceCLITests/Fixtures/help`, found from this file so no resource bundle is needed.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/help")

    @Test("help output equals the saved copy", arguments: commands)
    func helpMatchesSavedCopy(_ command: [String]) async throws {
        let binary = try SluiceBinary.locate()
        let outcome = try await binary.run(command + ["--help"])
        #expect(outcome.status == 0)
        let name = (["sluice"] + command).joined(separator: "-") + ".txt"
        let fixture = Self.fixtures.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SLUICE_UPDATE_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(at: Self.fixtures, withIntermediateDirectories: true)
            try Data(outcome.stdout.utf8).write(to: fixture)
        }
        let saved = try String(contentsOf: fixture, encoding: .utf8)
        #expect(outcome.stdout == saved, "run with SLUICE_UPDATE_FIXTURES=1 to accept a deliberate change")
    }
}

@Suite("The CLI refuses bad input with a clear message")
struct CommandErrorTests {
    @Test("a file that is not a Sluice database is refused without touching it")
    func foreignFileIsRefused() async throws {
        let binary = try SluiceBinary.locate()
        let path = ScratchSpace.url("not-sluice-\(UUID()).db").path
        let original = Data("just some notes, not a database\n".utf8)
        try original.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try await binary.run(["events", "query", "--db", path])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("not a Sluice database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
    }

    @Test("an append line that is not JSON is refused and names its line")
    func malformedAppendLineIsRefused() async throws {
        let binary = try SluiceBinary.locate()
        let directory = ScratchSpace.url("sluice-cli-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("sluice.db").path
        let outcome = try await binary.run(
            ["events", "append", "--db", database, "--stream", "s", "--type", "t"],
            input: "{\"ok\": 1}\n{not json\n"
        )
        #expect(outcome.status != 0)
        #expect(outcome.stdout.split(separator: "\n").count == 1)
        #expect(outcome.stderr.contains("line 2"))
    }
}
