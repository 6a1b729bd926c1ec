import ArgumentParser

/// The `sluice` command line: the root that only lists subcommands.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A self-hosted, event-sourced orchestration engine for event-driven ML pipelines.",
        subcommands: SluiceCommand.allSubcommands
    )

    static func main() async {
        AllocatorTuning.applyAtStartup()
        await main(nil)
    }
}
