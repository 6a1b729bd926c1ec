import ArgumentParser
import SluiceCore
import SluiceLog
import SluiceLogSQLite

/// `sluice events append`: one event per JSON line of standard input.
struct EventsAppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append one event per JSON line read from standard input.",
        discussion: """
            Each line of standard input is one event's JSON data. For each, once it is durable, \
            one line {"position": N, "stream": S, "version": V} is printed and flushed.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The stream to append to.")
    var stream: String

    @Option(help: "The event type, a past-tense fact such as object.finalized.")
    var type: String

    @Option(help: "The correlation id every appended event carries.")
    var correlation: String?

    @Option(help: "The principal recorded on every appended event.")
    var principal: String = "cli"

    func run() async throws {
        let streamName = try StreamName(stream)
        let log = try await database.open()
        var lineNumber = 0
        do {
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
                let event = NewEvent(
                    type: type,
                    data: line,
                    metadata: EventMetadata(correlationID: correlation, principal: principal)
                )
                let result: AppendResult
                do {
                    result = try await log.append([event], to: streamName, expectedVersion: .any)
                } catch {
                    throw SluiceError(error.code, "line \(lineNumber): \(error.message)")
                }
                StandardOutput.line(
                    "{\"position\": \(result.lastPosition), \"stream\": \(EventJSON.quote(stream)), \"version\": \(result.lastVersion)}"
                )
            }
        } catch {
            await log.close()
            throw error
        }
        await log.close()
    }
}
