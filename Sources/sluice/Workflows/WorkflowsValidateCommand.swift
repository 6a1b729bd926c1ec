import ArgumentParser
import Foundation
import SluiceWorkflows

/// `sluice workflows validate FILE`: reports deploy-time errors.
struct WorkflowsValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a definition the way a deploy would.")

    @Argument(help: "The workflow definition, YAML or JSON.")
    var file: String

    func run() throws {
        let source = try InputFile.text(file)
        do {
            let definition = try WorkflowDefinition(source: source)
            print(
                "valid: \(definition.routines.count) workflow(s): \(definition.routines.keys.sorted().joined(separator: ", "))"
            )
        } catch {
            print((try? error.errorMap.jsonString()) ?? error.description)
            throw ExitCode(1)
        }
    }
}
