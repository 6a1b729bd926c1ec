import ArgumentParser

/// `sluice events`: append to, query and follow the event log.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Append to, query and follow the event log.",
        subcommands: [EventsAppendCommand.self, EventsQueryCommand.self, EventsTailCommand.self]
    )
}
