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
    let now: @Sendable () -> Int64
    let logger: Logger
    let metrics: ExecutionMetrics
    private let claims = ExecutionClaims()
    let ended = EndedExecutions()
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

    /// How many times a cancellation re-reads the history after a runner appended first.
    static let cancelAttempts = 50

    /// Records a cancellation; a runner advancing the execution stops at its next append.
    ///
    /// A busy execution appends between this read and this write all the time, so losing the
    /// version race is expected: the cancellation reads what was appended since and tries again,
    /// and fails only if the execution ended meanwhile (FAILED_PRECONDITION) or it lost
    /// ``cancelAttempts`` times in a row. Reading only the new events keeps each try short even
    /// when a busy execution's history is long, so the cancellation does not fall further behind.
    public func cancel(_ id: ExecutionID, reason: String, principal: String?) async throws(SluiceError) {
        var attempt = 1
        var history = ExecutionHistory()
        while true {
            try await ExecutionRunnerHistory.catchUp(&history, id, log: log)
            guard history.start != nil else { throw SluiceError(.notFound, "execution \(id) does not exist") }
            guard history.ending == nil else {
                throw SluiceError(.failedPrecondition, "execution \(id) has already ended")
            }
            let event = try ExecutionEvents.ended(
                .cancelled(reason: reason),
                metadata: EventMetadata(correlationID: history.correlationID, principal: principal)
            )
            do {
                _ = try await log.append([event], to: id.stream, expectedVersion: .exact(history.version))
            } catch  where error.code == .wrongExpectedVersion && attempt < Self.cancelAttempts {
                attempt += 1
                continue
            }
            metrics.finished(.cancelled(reason: reason), microseconds: now() - history.startedAt)
            return
        }
    }

    /// Runs (or resumes) an execution until it ends, and returns how it ended. With
    /// `waitingForClaim`, an execution this process is advancing already is run once that stops
    /// (it may have ended by then, or handed the rest on); otherwise that is an error.
    /// `afterRestart` marks the first run of an unfinished execution since the process started,
    /// and `afterCrash` that the process before crashed: see
    /// ``resumeAfterRestart(_:history:afterCrash:)``.
    public func run(
        _ id: ExecutionID, waitingForClaim: Bool = false, afterRestart: Bool = false, afterCrash: Bool = false
    ) async throws(SluiceError) -> ExecutionOutcome {
        if waitingForClaim {
            await claims.claimWhenFree(id)
        } else if !claims.claim(id) {
            throw SluiceError(.failedPrecondition, "execution \(id) is already being advanced in this process")
        }
        defer { claims.release(id) }
        if let ending = ended.ending(of: id) {
            return ExecutionOutcome(executionID: id.rawValue, ending: ending, effectsPerformed: 0, effectsReused: 0)
        }
        // A run whose planned write lost a race stored nothing since its last append; the run
        // after it starts again from the history and performs every effect.
        var planning = true
        var resumptionChecked = !afterRestart
        while true {
            let history = try await history(of: id)
            guard let start = history.start else { throw SluiceError(.notFound, "execution \(id) does not exist") }
            if let ending = history.ending {
                return ExecutionOutcome(executionID: id.rawValue, ending: ending, effectsPerformed: 0, effectsReused: 0)
            }
            if !resumptionChecked {
                resumptionChecked = true
                switch try await resumeAfterRestart(id, history: history, afterCrash: afterCrash) {
                case .ended(let outcome): return outcome
                case .recorded: continue
                case .unrecorded: break
                }
            }
            let drive = try await drive(id, start: start, history: history, planning: planning)
            let end: ExecutionDrive.RunEnd
            do {
                end = try await drive.run()
            } catch  where AppendValidation.refusedAsTooLarge(error) {
                return try await failTooLarge(id, error)
            }
            switch end {
            case .ended(let outcome):
                ended.record(id, outcome.ending)
                return outcome
            case .plannedWriteLost:
                logger.debug("a planned write lost a race; running again", metadata: ["execution.id": "\(id)"])
                planning = false
            case .handedOff, .startedElsewhere:
                throw SluiceError(.internalFailure, "execution \(id) stopped as if its start were unrecorded")
            }
        }
    }

    /// Starts an execution and runs it at once, recording the start with the run's first append
    /// instead of on its own. Until then the run does only what it may do again (replay-safe
    /// effects and planned writes); at an outside effect it records the start and the work so far
    /// and leaves the rest to the scheduler. A workflow of replay-safe effects (the ML pipeline's
    /// read, prediction and store) is so started, run and ended in one append with `alongside`,
    /// one commit instead of two, and without reading back what it just wrote.
    ///
    /// A crash before that append leaves nothing: the caller's message is not acknowledged, so it
    /// comes again and the run starts over. Returns false, having stored nothing, when the
    /// execution or `idempotencyKey` exists already, like ``start(_:_:metadata:alongside:idempotencyKey:)``.
    public func startAndRun(
        _ id: ExecutionID, _ start: ExecutionStart, metadata: EventMetadata = .empty,
        alongside: [StreamAppend] = [], idempotencyKey: String? = nil
    ) async throws(SluiceError) -> Bool {
        guard claims.claim(id) else {
            return try await self.start(
                id, start, metadata: metadata, alongside: alongside, idempotencyKey: idempotencyKey)
        }
        var claimed = true
        defer { if claimed { claims.release(id) } }
        let event = try ExecutionEvents.started(start, metadata: metadata)
        let result: ExecutionDrive.RunEnd
        do {
            // The history a resumed run would read: the start as it will be stored, decoded.
            var history = ExecutionHistory()
            try history.apply(
                RecordedEvent(
                    position: 0, stream: id.stream, version: 1, type: event.type, data: event.data,
                    metadata: event.metadata, timestamp: now(), id: EventID(high: 0, low: 0)))
            let pending = PendingStart(event: event, alongside: alongside, idempotencyKey: idempotencyKey)
            let drive = try await drive(id, start: start, history: history, planning: true, pendingStart: pending)
            result = try await drive.run()
        } catch {
            // Nothing is recorded yet: start it the ordinary way, and let the scheduler meet the error.
            logger.debug(
                "running an unrecorded start failed; recording it",
                metadata: ["execution.id": "\(id)", "error": "\(error)"])
            result = .plannedWriteLost
        }
        claims.release(id)
        claimed = false
        switch result {
        case .ended(let outcome):
            ended.record(id, outcome.ending)
            metrics.started()
            launches.announceFinished(id)
            return true
        case .handedOff:
            metrics.started()
            launches.announce(id)
            return true
        case .startedElsewhere:
            return false
        case .plannedWriteLost:
            return try await self.start(
                id, start, metadata: metadata, alongside: alongside, idempotencyKey: idempotencyKey)
        }
    }

    private func drive(
        _ id: ExecutionID, start: ExecutionStart, history: ExecutionHistory, planning: Bool,
        pendingStart: PendingStart? = nil
    ) async throws(SluiceError) -> ExecutionDrive {
        let definition = try await catalog.definition(of: start.workflow, revision: start.revision)
        var reuse: ReusedResults?
        if let source = start.replayOf {
            let original = try await self.history(of: try ExecutionID(source))
            reuse = ReusedResults(source: source, history: original, liveFromStep: start.liveFromStep)
        }
        var variables = environment
        variables["GOOGLE_CLOUD_WORKFLOW_ID"] = start.workflow
        // As `%06d` would write it, without `String(format:)`, which cost 1% of the pipeline's CPU.
        let revision = String(start.revision)
        variables["GOOGLE_CLOUD_WORKFLOW_REVISION_ID"] =
            String(repeating: "0", count: max(0, 6 - revision.count)) + revision
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
            planning: planning,
            pendingStart: pendingStart
        )
    }
}
