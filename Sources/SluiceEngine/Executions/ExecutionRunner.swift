import Foundation
public import Logging
public import SluiceCore
public import SluiceLog
import SluiceWorkflows

/// Drives executions from their history: re-runs the deterministic interpreter against recorded
/// effect results, performs what is missing, and records every step, effect and ending.
///
/// Every append names the stream version it expects, so two runners can never both advance one
/// execution: the loser re-reads, and stops if the execution ended (say, it was cancelled).
public struct ExecutionRunner: Sendable {
    let log: any EventLog
    let catalog: WorkflowCatalog
    private let performer: any EffectPerformer
    private let environment: [String: String]
    private let now: @Sendable () -> Int64
    private let logger: Logger
    private let metrics: ExecutionMetrics
    private let claims = ExecutionClaims()
    /// Where `start` announces new executions to the scheduler.
    public let launches = ExecutionLaunches()

    public init(
        log: any EventLog,
        catalog: WorkflowCatalog,
        performer: any EffectPerformer,
        environment: [String: String] = [:],
        now: @escaping @Sendable () -> Int64 = WallClock.microsecondsSinceEpoch,
        logger: Logger = Logger(label: "sluice.engine.executions"),
        metrics: ExecutionMetrics = ExecutionMetrics()
    ) {
        self.log = log
        self.catalog = catalog
        self.performer = performer
        self.environment = environment
        self.now = now
        self.logger = logger
        self.metrics = metrics
    }

    /// Records a new execution. Starting an id that exists records nothing and returns false, which
    /// is what makes a redelivered message start no second execution.
    ///
    /// `alongside` is appended in the same step as the start, under `idempotencyKey`: the
    /// function dispatcher acknowledges the delivery that started the execution this way, so a
    /// start is never left unacknowledged. Its parts must not conflict (expect `.any`); when the
    /// execution exists or the key was used, nothing is appended and the result is false.
    @discardableResult
    public func start(
        _ id: ExecutionID, _ start: ExecutionStart, metadata: EventMetadata = .empty,
        alongside: [StreamAppend] = [], idempotencyKey: String? = nil
    ) async throws(SluiceError) -> Bool {
        let event = try ExecutionEvents.started(start, metadata: metadata)
        do {
            let result =
                alongside.isEmpty
                ? try await log.append(
                    [event], to: id.stream, expectedVersion: .noStream, idempotencyKey: idempotencyKey)
                : try await log.append(
                    [StreamAppend([event], to: id.stream, expectedVersion: .noStream)] + alongside,
                    idempotencyKey: idempotencyKey)[0]
            if result.wasDuplicate { return false }
            metrics.started()
            launches.announce(id)
            return true
        } catch  where error.code == .wrongExpectedVersion {
            return false
        }
    }

    /// Reads an execution's history.
    public func history(of id: ExecutionID) async throws(SluiceError) -> ExecutionHistory {
        try await ExecutionRunnerHistory.read(id, log: log)
    }

    /// Records a cancellation; a runner advancing the execution stops at its next append.
    public func cancel(_ id: ExecutionID, reason: String, principal: String?) async throws(SluiceError) {
        let history = try await history(of: id)
        guard history.start != nil else { throw SluiceError(.notFound, "execution \(id) does not exist") }
        guard history.ending == nil else { throw SluiceError(.failedPrecondition, "execution \(id) has already ended") }
        let event = try ExecutionEvents.ended(
            .cancelled(reason: reason),
            metadata: EventMetadata(correlationID: history.correlationID, principal: principal)
        )
        _ = try await log.append([event], to: id.stream, expectedVersion: .exact(history.version))
        metrics.finished(.cancelled(reason: reason), microseconds: now() - history.startedAt)
    }

    /// Runs (or resumes) an execution until it ends, and returns how it ended.
    public func run(_ id: ExecutionID) async throws(SluiceError) -> ExecutionOutcome {
        guard claims.claim(id) else {
            throw SluiceError(.failedPrecondition, "execution \(id) is already being advanced in this process")
        }
        defer { claims.release(id) }
        // A run whose planned write lost a race stored nothing since its last append; the run
        // after it starts again from the history and performs every effect.
        var planning = true
        while true {
            let history = try await history(of: id)
            guard let start = history.start else { throw SluiceError(.notFound, "execution \(id) does not exist") }
            if let ending = history.ending {
                return ExecutionOutcome(executionID: id.rawValue, ending: ending, effectsPerformed: 0, effectsReused: 0)
            }
            let drive = try await drive(id, start: start, history: history, planning: planning)
            if let outcome = try await drive.run() { return outcome }
            logger.debug("a planned write lost a race; running again", metadata: ["execution.id": "\(id)"])
            planning = false
        }
    }

    private func drive(_ id: ExecutionID, start: ExecutionStart, history: ExecutionHistory, planning: Bool)
        async throws(SluiceError) -> ExecutionDrive
    {
        let definition = try await catalog.definition(of: start.workflow, revision: start.revision)
        var reuse: ReusedResults?
        if let source = start.replayOf {
            let original = try await self.history(of: try ExecutionID(source))
            reuse = ReusedResults(source: source, history: original, liveFromStep: start.liveFromStep)
        }
        var variables = environment
        variables["GOOGLE_CLOUD_WORKFLOW_ID"] = start.workflow
        variables["GOOGLE_CLOUD_WORKFLOW_REVISION_ID"] = String(format: "%06d", start.revision)
        variables["GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID"] = id.rawValue
        var execution = WorkflowExecution(
            definition: definition,
            argument: start.argument,
            environment: WorkflowEnvironment(variables: variables)
        )
        execution.recordsStepProgress = true
        return ExecutionDrive(
            execution: execution,
            id: id,
            start: start,
            history: history,
            reuse: reuse,
            log: log,
            performer: performer,
            now: now,
            metrics: metrics,
            planning: planning
        )
    }
}
