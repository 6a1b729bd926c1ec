import ArgumentParser
import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceLogSQLite
import SluiceResources
import SluiceStack

/// `sluice apply FILE`: shows the plan as a diff and applies it after confirmation.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract:
            "Make the data directory (or, with --server, a running server) match a stack file: prints the plan, applies it after confirmation."
    )
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The stack file (YAML); `example` is the built-in ML pipeline.") var file: String
    @Flag(help: "Apply without asking.") var yes = false
    @Flag(help: "Only print the plan.") var planOnly = false
    @OptionGroup var server: ServerOptions

    func run() async throws {
        if let client = try server.client() {
            return try await RemoteStack(client: client).apply(file, yes: yes, planOnly: planOnly)
        }
        let stack = try StackLoading.load(file)
        let log = try await database.open()
        try await log.closing {
            let applier = try StackLoading.applier(log: log, database: database)
            let plan = try await applier.plan(stack)
            for change in plan.changes { StandardOutput.line(change.line) }
            StandardOutput.line("plan: " + plan.summary)
            guard plan.hasChanges, !planOnly else {
                if !plan.hasChanges { Self.printOutputs(stack) }
                return
            }
            guard yes || StackLoading.confirm("apply these changes to \(database.path)?") else {
                throw ValidationError("not applied: answer y, or pass --yes")
            }
            try await applier.apply(stack)
            StandardOutput.line("applied stack \(stack.name)")
            Self.printOutputs(stack)
        }
    }

    static func printOutputs(_ stack: StackDesired) {
        for key in stack.outputs.keys.sorted() { StandardOutput.line("output \(key) = \(stack.outputs[key] ?? "")") }
    }
}

/// `sluice destroy FILE`: deletes everything the stack's applies created.
struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy", abstract: "Delete every resource a stack created.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The stack file (YAML); `example` is the built-in ML pipeline.") var file: String
    @Flag(help: "Destroy without asking.") var yes = false
    @OptionGroup var server: ServerOptions

    func run() async throws {
        if let client = try server.client() { return try await RemoteStack(client: client).destroy(file, yes: yes) }
        let stack = try StackLoading.load(file)
        let log = try await database.open()
        try await log.closing {
            let applier = try StackLoading.applier(log: log, database: database)
            let owned = try await applier.owned(by: stack.name)
            guard try StackLoading.confirmDestroy(owned, of: stack.name, at: database.path, yes: yes) else { return }
            _ = try await applier.destroy(stack.name)
            StandardOutput.line("destroyed stack \(stack.name)")
        }
    }
}

/// Reading stack files and building the applier on a data directory.
enum StackLoading {
    static func load(_ file: String) throws -> StackDesired {
        try bundle(file).desired
    }

    /// The stack and every file it names, for sending to a server.
    static func bundle(_ file: String) throws -> (desired: StackDesired, bundle: StackBundle) {
        if file == "example" {
            return try StackBundle.collect(
                path: ExampleStack.path, yaml: ExampleStack.text, source: ExampleStack.source)
        }
        let text = try InputFile.text(file)
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return try StackBundle.collect(path: file, yaml: text, source: DirectoryStackSource(directory: directory))
    }

    static func applier(log: SQLiteEventLog, database: DatabaseOptions, registry: ModelRegistry? = nil) throws
        -> StackApplier
    {
        let dataDirectory = URL(fileURLWithPath: database.path).deletingLastPathComponent().path
        let catalog = WorkflowCatalog(log: log)
        return StackApplier(
            log: log, storage: StorageService(log: log, objects: try LocalObjectStore(directory: dataDirectory)),
            catalog: catalog,
            models: DirectoryModelInstaller(directory: dataDirectory + "/models", registry: registry),
            // Only cancels: a deleted workflow's executions are stopped by the server running them.
            runner: ExecutionRunner(log: log, catalog: catalog, performer: UnroutedEffectPerformer()),
            principal: "cli")
    }

    /// Prints what destroying stack `name` deletes and asks (unless `yes`); false when it owns
    /// nothing, a thrown error when the answer is no.
    static func confirmDestroy(_ owned: [String], of name: String, at target: String, yes: Bool) throws -> Bool {
        for resource in owned { StandardOutput.line("- " + resource) }
        guard !owned.isEmpty else {
            StandardOutput.line("stack \(name) owns nothing")
            return false
        }
        guard yes || confirm("delete these \(owned.count) resources at \(target)?") else {
            throw ValidationError("not destroyed: answer y, or pass --yes")
        }
        return true
    }

    static func confirm(_ question: String) -> Bool {
        StandardOutput.errorLine(question + " [y/N] ")
        return readLine()?.lowercased().hasPrefix("y") ?? false
    }
}
