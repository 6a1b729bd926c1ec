import ArgumentParser

extension SluiceCommand {
    /// Every top-level subcommand, in the order `--help` lists them.
    static let allSubcommands: [any ParsableCommand.Type] = [WorkflowsCommand.self, BenchCommand.self]
}
