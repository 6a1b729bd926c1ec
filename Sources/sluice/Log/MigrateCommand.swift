import ArgumentParser
import SluiceLogSQLite

/// `sluice migrate`: creates the database or brings it to this binary's schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the event log database or apply pending schema migrations."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let log = try await database.open()
        let head = try await log.headPosition()
        await log.close()
        StandardOutput.line("database \(database.path) is at the current schema; \(head) events")
    }
}
