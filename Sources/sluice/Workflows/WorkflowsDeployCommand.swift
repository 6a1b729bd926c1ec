import ArgumentParser
import SluiceEngine

/// `sluice workflows deploy NAME FILE`: records a new revision in the data directory's log.
struct WorkflowsDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy a definition as the next revision of a workflow; prints the revision."
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The workflow's name.") var name: String
    @Argument(help: "The definition, YAML or JSON.") var file: String

    func run() async throws {
        let source = try InputFile.text(file)
        let engine = try await EngineContext.open(database)
        try await engine.closing {
            let revision = try await engine.catalog.deploy(name: name, source: source, principal: "cli")
            StandardOutput.line(String(revision))
        }
    }
}
