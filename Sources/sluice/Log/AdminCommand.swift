import ArgumentParser
import SluiceLogSQLite

/// `sluice admin`: operator commands on the event log.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Check and repair the event log.",
        subcommands: [VerifyCommand.self, RebuildProjectionsCommand.self]
    )
}

/// `sluice admin verify`: exits 0 when the log is intact, 1 with a list of problems otherwise.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check positions, stream versions, timestamps and the hash chain of the whole log."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let log = try await database.open()
        let report: IntegrityReport
        do {
            report = try await log.verify { checked, total in
                StandardOutput.errorLine("verify: \(checked)/\(total) events")
            }
        } catch {
            await log.close()
            throw error
        }
        await log.close()
        if report.isIntact {
            StandardOutput.line(
                "ok: \(report.eventsChecked) events in \(report.streamsChecked) streams, hash chain intact")
            return
        }
        for problem in report.problems { StandardOutput.line("problem: \(problem)") }
        if report.problemsTruncated { StandardOutput.line("(more problems were found than listed)") }
        throw ExitCode.failure
    }
}

/// `sluice admin rebuild-projections`: replays the log into every projection's empty tables.
struct RebuildProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild-projections",
        abstract: "Drop every projection's tables and rebuild them from the log."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let log = try await database.open()
        do {
            let position = try await log.rebuildProjections()
            await log.close()
            StandardOutput.line(
                "rebuilt \(log.configuration.projections.count) projection(s) up to position \(position)")
        } catch {
            await log.close()
            throw error
        }
    }
}
