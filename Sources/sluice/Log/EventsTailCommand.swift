import ArgumentParser
import SluiceLog
import SluiceLogSQLite

/// `sluice events tail`: follows the log as JSON lines until interrupted.
struct EventsTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print events as JSON lines as they are appended, until interrupted."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Start at this position (default: only events appended from now on).")
    var from: Int64?

    @Option(help: "Stop after this many events (default: never).")
    var count: Int?

    func run() async throws {
        let log = try await database.openExisting()
        let start: Int64
        if let from {
            start = from - 1
        } else {
            start = try await log.headPosition()
        }
        var printed = 0
        for try await event in log.tail(after: max(0, start)) {
            StandardOutput.line(EventJSON.line(event))
            printed += 1
            if let count, printed >= count { break }
        }
        await log.close()
    }
}
