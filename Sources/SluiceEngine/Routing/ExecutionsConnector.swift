import Crypto
import Foundation
import SluiceCore
import SluiceWorkflows
import Synchronization

/// The Workflow Executions connector on Sluice's own executions. A child execution's id is
/// derived from the calling effect's idempotency key, so a parent that re-performs the call after
/// a crash finds the same child instead of starting a second one.
public struct ExecutionsConnector: Sendable {
    private let runners: LateRunner
    private let catalog: WorkflowCatalog

    /// `runners` supplies the runner for child executions; it is usually the runner whose
    /// performer contains this connector, so it is set after both exist.
    public init(runners: LateRunner, catalog: WorkflowCatalog) {
        self.runners = runners
        self.catalog = catalog
    }

    /// The most executions that may wait on each other through `executions.run`. Each one in
    /// such a chain stays active, and a workflow that runs itself would otherwise start
    /// children without end (thousands a second), none of them ever able to finish.
    public static let maximumRunNesting = 32

    /// `executions.run`: the child's result, or its error raised in the parent.
    func run(workflow: String, argument: WorkflowValue, context: EffectContext) async -> Result<
        WorkflowValue, WorkflowError
    > {
        do {
            let parent = try ExecutionID(context.executionID)
            let nesting = (try await runners.runner().history(of: parent).start?.runNesting ?? 0) + 1
            guard nesting <= Self.maximumRunNesting else {
                return .failure(
                    .resourceLimit(
                        "executions.run is nested more than \(Self.maximumRunNesting) deep: each of these executions "
                            + "waits for the next, and none could end"))
            }
            let child = try await start(workflow: workflow, argument: argument, context: context, runNesting: nesting)
            let outcome = try await runners.runner().run(child)
            switch outcome.ending {
            case .succeeded(let value): return .success(value)
            case .failed(let error): return .failure(error)
            case .cancelled(let reason): return .failure(.systemError("execution \(child) was cancelled: \(reason)"))
            }
        } catch {
            return .failure(Self.workflowError(error))
        }
    }

    /// `executions.create`: the child's Execution resource, at once; the engine runs it.
    func create(workflow: String, argument: WorkflowValue, context: EffectContext) async -> Result<
        WorkflowValue, WorkflowError
    > {
        do {
            let child = try await start(workflow: workflow, argument: argument, context: context)
            return .success(
                .object([
                    "name": .string("projects/local/locations/local/workflows/\(workflow)/executions/\(child)"),
                    "state": "ACTIVE",
                ]))
        } catch {
            return .failure(Self.workflowError(error))
        }
    }

    private func start(workflow: String, argument: WorkflowValue, context: EffectContext, runNesting: Int = 0)
        async throws(SluiceError) -> ExecutionID
    {
        let digest = SHA256.hash(data: Data(context.idempotencyKey.utf8)).prefix(12).map { String(format: "%02x", $0) }
            .joined()
        let child = try ExecutionID("child-" + digest)
        let revision = try await catalog.latestRevision(of: workflow)
        var start = ExecutionStart(workflow: workflow, revision: revision, argument: argument)
        start.runNesting = runNesting
        try await runners.runner().start(
            child,
            start,
            metadata: EventMetadata(causationID: context.executionID, principal: "sluice-engine")
        )
        return child
    }

    private static func workflowError(_ error: any Error) -> WorkflowError {
        guard let error = error as? SluiceError else { return .systemError("\(error)") }
        if error.code == .notFound { return GoogleAPIError.notFound(error.message).workflowError }
        if error.code == .invalidArgument { return GoogleAPIError.invalidArgument(error.message).workflowError }
        return GoogleAPIError.unavailable(error.message).workflowError
    }
}

/// A runner set once after construction, for a performer chain that must run executions itself.
public final class LateRunner: Sendable {
    private let slot = Mutex<ExecutionRunner?>(nil)

    public init() {}

    public func set(_ runner: ExecutionRunner) {
        slot.withLock { $0 = runner }
    }

    func runner() throws(SluiceError) -> ExecutionRunner {
        guard let runner = slot.withLock({ $0 }) else {
            throw SluiceError(.internalFailure, "the executions connector was used before its runner was set")
        }
        return runner
    }
}
