import Foundation
import SluiceTesting
import Testing

@Suite("Commands that only read the log refuse a path with no database instead of creating one")
struct ReadCommandsTests {
    @Test(
        "a command that only reads or checks the log, on a missing database, fails and leaves nothing behind",
        arguments: [
            ["events", "query"], ["events", "tail", "--from", "1"], ["trace", "--correlation", "upload-x"],
            ["admin", "verify"], ["admin", "rebuild-projections"], ["tokens", "list"], ["executions", "get", "run-1"],
            ["executions", "list", "--workflow", "w"], ["executions", "run", "run-1"],
            ["executions", "cancel", "run-1", "--reason", "r"], ["executions", "replay", "run-1"],
        ])
    func readingAMissingDatabaseCreatesNothing(_ command: [String]) async throws {
        let directory = ScratchSpace.url("sluice-missing-\(UUID())").appendingPathComponent("nested")
        let path = directory.appendingPathComponent("sluice.db").path
        let outcome = try await SluiceBinary.locate().run(command + ["--db", path])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("no event log at"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }
}
