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
        /// The execution was ended instead: failed, because the process crashed each of the last
        /// times it resumed it, or cancelled, because its workflow was deleted.
        case ended(ExecutionOutcome)
        /// An `execution.resumed` event was appended; the history must be read again.
        case recorded
        /// Nothing was appended: the execution only waits (a sleep, a callback), and running it on
        /// runs nothing until its wait ends, so it cannot be what stopped the process.
        case unrecorded
    }

    /// Called before the first run of an unfinished execution after a restart; `afterCrash` says
    /// whether the process before this one crashed. Cancels the execution when its workflow was
    /// deleted (a process that stopped between recording a delete and cancelling the deleted
    /// workflow's executions left it running). Fails it when the process crashed
    /// ``crashesWithoutProgressLimit`` times in a row while it was resumed and recorded nothing;
    /// otherwise records this resumption, and the crash, so the next restart can tell.
    func resumeAfterRestart(_ id: ExecutionID, history: ExecutionHistory, afterCrash: Bool) async throws(SluiceError)
        -> Resumption
    {
        let metadata = EventMetadata(correlationID: history.correlationID, principal: "sluice-engine")
        if let start = history.start, start.revision < (try await catalog.deletedThrough(of: start.workflow)) {
            let ending = ExecutionHistory.Ending.cancelled(reason: "the workflow \(start.workflow) was deleted")
            return .ended(try await end(id, history: history, ending, metadata: metadata))
        }
        let crashes =
            history.crashesWithoutProgress + (afterCrash && history.resumptionsWithoutProgress > 0 ? 1 : 0)
        if crashes >= Self.crashesWithoutProgressLimit {
            let ending = ExecutionHistory.Ending.failed(
                WorkflowError(
                    tags: ["InternalError"],
                    message: "the server crashed each of the last \(crashes) times it resumed this execution, "
                        + "before the execution recorded anything: it was failed so that the server can run; "
                        + "replay it once the cause is fixed"))
            logger.error(
                "failed an execution that the server crashed on at every restart",
                metadata: ["execution.id": "\(id)", "execution.crashes": "\(crashes)"])
            return .ended(try await end(id, history: history, ending, metadata: metadata))
        }
        if history.isOnlyWaiting { return .unrecorded }
        let event = NewEvent(
            type: ExecutionEventType.resumed, data: afterCrash ? #"{"afterCrash":true}"# : "{}", metadata: metadata)
        _ = try await log.append([event], to: id.stream, expectedVersion: .exact(history.version))
        return .recorded
    }

    /// Ends the execution with `ending` at the version it was read at, without running it.
    private func end(
        _ id: ExecutionID, history: ExecutionHistory, _ ending: ExecutionHistory.Ending, metadata: EventMetadata
    ) async throws(SluiceError) -> ExecutionOutcome {
        _ = try await log.append(
            [try ExecutionEvents.ended(ending, metadata: metadata)], to: id.stream,
            expectedVersion: .exact(history.version))
        metrics.finished(ending, microseconds: now() - history.startedAt)
        ended.record(id, ending)
        return ExecutionOutcome(executionID: id.rawValue, ending: ending, effectsPerformed: 0, effectsReused: 0)
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
        return try await end(
            id, history: history, ending,
            metadata: EventMetadata(correlationID: history.correlationID, principal: "sluice-engine"))
    }
}
