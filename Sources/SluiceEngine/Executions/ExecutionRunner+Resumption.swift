import Logging
import SluiceCore
import SluiceLog
import SluiceWorkflows

extension ExecutionRunner {
    /// Crashes in a row, each while an execution had been resumed and recorded nothing since,
    /// after which it is failed instead of resumed again.
    ///
    /// A bug that stops the process while it runs one execution (a Swift trap) would otherwise
    /// stop it again at every start, since every start resumes the execution: one execution would
    /// keep the whole server down. Only crashes count (the process records them; see `serve`):
    /// a process killed or stopped while an execution waits on a slow call says nothing against
    /// the execution.
    public static let crashesWithoutProgressLimit = 3

    /// What ``resumeAfterRestart(_:history:afterCrash:)`` did.
    enum Resumption {
        /// The execution was failed: the process crashed each of the last times it resumed it.
        case failed(ExecutionOutcome)
        /// An `execution.resumed` event was appended; the history must be read again.
        case recorded
        /// Nothing was appended: the execution only waits (a sleep, a callback), and running it on
        /// runs nothing until its wait ends, so it cannot be what stopped the process.
        case unrecorded
    }

    /// Called before the first run of an unfinished execution after a restart; `afterCrash` says
    /// whether the process before this one crashed. Fails the execution when the process crashed
    /// ``crashesWithoutProgressLimit`` times in a row while it was resumed and recorded nothing;
    /// otherwise records this resumption, and the crash, so the next restart can tell.
    func resumeAfterRestart(_ id: ExecutionID, history: ExecutionHistory, afterCrash: Bool) async throws(SluiceError)
        -> Resumption
    {
        let metadata = EventMetadata(correlationID: history.correlationID, principal: "sluice-engine")
        let crashes =
            history.crashesWithoutProgress + (afterCrash && history.resumptionsWithoutProgress > 0 ? 1 : 0)
        if crashes >= Self.crashesWithoutProgressLimit {
            let ending = ExecutionHistory.Ending.failed(
                WorkflowError(
                    tags: ["InternalError"],
                    message: "the server crashed each of the last \(crashes) times it resumed this execution, "
                        + "before the execution recorded anything: it was failed so that the server can run; "
                        + "replay it once the cause is fixed"))
            _ = try await log.append(
                [try ExecutionEvents.ended(ending, metadata: metadata)], to: id.stream,
                expectedVersion: .exact(history.version))
            metrics.finished(ending, microseconds: now() - history.startedAt)
            ended.record(id, ending)
            logger.error(
                "failed an execution that the server crashed on at every restart",
                metadata: ["execution.id": "\(id)", "execution.crashes": "\(crashes)"])
            return .failed(
                ExecutionOutcome(executionID: id.rawValue, ending: ending, effectsPerformed: 0, effectsReused: 0))
        }
        if history.isOnlyWaiting { return .unrecorded }
        let event = NewEvent(
            type: ExecutionEventType.resumed, data: afterCrash ? #"{"afterCrash":true}"# : "{}", metadata: metadata)
        _ = try await log.append([event], to: id.stream, expectedVersion: .exact(history.version))
        return .recorded
    }

    /// Fails an execution whose next event is over the log's size limit (a result or an effect's
    /// arguments too large to record), which would otherwise stop it at every run and leave it
    /// ACTIVE forever.
    func failTooLarge(_ id: ExecutionID, _ error: SluiceError) async throws(SluiceError) -> ExecutionOutcome {
        let history = try await history(of: id)
        if let ending = history.ending {
            return ExecutionOutcome(executionID: id.rawValue, ending: ending, effectsPerformed: 0, effectsReused: 0)
        }
        let ending = ExecutionHistory.Ending.failed(
            WorkflowError.resourceLimit("the execution's next event could not be recorded: \(error.message)"))
        _ = try await log.append(
            [
                try ExecutionEvents.ended(
                    ending, metadata: EventMetadata(correlationID: history.correlationID, principal: "sluice-engine"))
            ], to: id.stream, expectedVersion: .exact(history.version))
        metrics.finished(ending, microseconds: now() - history.startedAt)
        ended.record(id, ending)
        return ExecutionOutcome(executionID: id.rawValue, ending: ending, effectsPerformed: 0, effectsReused: 0)
    }
}
