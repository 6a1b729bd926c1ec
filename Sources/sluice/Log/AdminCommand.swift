import ArgumentParser
import Foundation
import NIOHTTP1
import SluiceLog
import SluiceLogSQLite

/// `sluice admin`: operator commands on the event log.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Check and repair the event log; rotate the token signing key.",
        subcommands: [VerifyCommand.self, RebuildProjectionsCommand.self, RotateSigningKeyCommand.self]
    )
}

/// `sluice admin verify`: exits 0 when the log is intact, 1 with a list of problems otherwise.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check positions, stream versions, timestamps and the hash chain of the whole log."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var remote: ServerOptions

    func run() async throws {
        let report: IntegrityReport
        if let client = try remote.client() {
            report = try await Self.remoteReport(client)
        } else {
            report = try await localReport()
        }
        if report.isIntact {
            StandardOutput.line(
                "ok: \(report.eventsChecked) events in \(report.streamsChecked) streams, hash chain intact")
            return
        }
        for problem in report.problems { StandardOutput.line("problem: \(problem)") }
        if report.problemsTruncated { StandardOutput.line("(more problems were found than listed)") }
        throw ExitCode.failure
    }

    private func localReport() async throws -> IntegrityReport {
        let log = try await database.openExisting()
        do {
            let report = try await log.verify { checked, total in
                StandardOutput.errorLine("verify: \(checked)/\(total) events")
            }
            await log.close()
            return report
        } catch {
            await log.close()
            throw error
        }
    }

    /// `POST /v1/sluice/log:verify`: the server checks its own log.
    private static func remoteReport(_ client: SluiceAPIClient) async throws -> IntegrityReport {
        StandardOutput.errorLine("verify: the server is checking its log")
        let answer = try await client.json(.POST, "/v1/sluice/log:verify")
        return IntegrityReport(
            eventsChecked: (answer["eventsChecked"] as? NSNumber)?.int64Value ?? 0,
            streamsChecked: (answer["streamsChecked"] as? NSNumber)?.intValue ?? 0,
            problems: answer["problems"] as? [String] ?? [],
            problemsTruncated: answer["problemsTruncated"] as? Bool ?? false
        )
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
        let log = try await database.openExisting()
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
