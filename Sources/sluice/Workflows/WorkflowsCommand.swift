import ArgumentParser

/// `sluice workflows`: run and validate GCP Workflows definitions locally.
struct WorkflowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflows",
        abstract: "Run or validate a GCP Workflows definition (YAML or JSON).",
        subcommands: [WorkflowsRunCommand.self, WorkflowsValidateCommand.self, WorkflowsDeployCommand.self]
    )
}
