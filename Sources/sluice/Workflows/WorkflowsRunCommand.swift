import ArgumentParser
import Foundation
import SluiceWorkflows

/// `sluice workflows run FILE [--data JSON | --data @FILE]`: runs a definition in memory with live effects.
struct WorkflowsRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Run a definition in memory: real HTTP, real sleeps. Prints the result (exit 0) or the error map (exit 1)."
    )

    @Argument(help: "The workflow definition, YAML or JSON.")
    var file: String

    @Option(name: .long, help: "The execution argument as JSON, or @PATH (or a path) of a file holding it.")
    var data: String?

    func run() async throws {
        let source = try InputFile.text(file)
        let definition: WorkflowDefinition
        do {
            definition = try WorkflowDefinition(source: source)
        } catch {
            print((try? error.errorMap.jsonString()) ?? error.description)
            throw ExitCode(1)
        }
        let argument = try readArgument()
        var execution = WorkflowExecution(
            definition: definition, argument: argument,
            environment: WorkflowEnvironment(variables: [
                "GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID": UUID().uuidString.lowercased()
            ]))
        let host = LiveEffectHost()
        let outcome = await Self.drive(&execution, host: host)
        switch outcome {
        case .success(let value):
            do {
                print(try value.jsonString())
            } catch {
                print((try? error.errorMap.jsonString()) ?? "{}")
                throw ExitCode(1)
            }
        case .failure(let error):
            print((try? error.errorMap.jsonString()) ?? #"{"tags":[],"message":"unprintable error"}"#)
            throw ExitCode(1)
        }
    }

    private func readArgument() throws -> WorkflowValue {
        guard var text = data else { return .null }
        if text.hasPrefix("@") {
            text = try InputFile.text(String(text.dropFirst()))
        } else if !text.isEmpty, FileManager.default.fileExists(atPath: text) {
            text = try InputFile.text(text)
        }
        do {
            return try JSONReader.parse(text)
        } catch {
            throw ValidationError("--data is not valid JSON: \(error.message ?? "")")
        }
    }

    /// Advances the execution, performing effects concurrently and feeding each result back as it arrives.
    static func drive(_ execution: inout WorkflowExecution, host: LiveEffectHost) async -> Result<
        WorkflowValue, WorkflowError
    > {
        await withTaskGroup(of: (String, Result<WorkflowValue, WorkflowError>).self) { group in
            var inFlight: Set<String> = []
            defer { group.cancelAll() }
            while true {
                switch execution.advance() {
                case .finished(let value): return .success(value)
                case .failed(let error): return .failure(error)
                case .effects(let requests):
                    for request in requests where !inFlight.contains(request.id) {
                        inFlight.insert(request.id)
                        group.addTask { (request.id, await host.perform(request)) }
                    }
                    guard let (id, result) = await group.next() else {
                        return .failure(.systemError("no effect in flight"))
                    }
                    inFlight.remove(id)
                    execution.complete(effectID: id, with: result)
                }
            }
        }
    }
}
