import Logging
import SluiceCore
import SluiceLog
import SluiceWorkflows

extension ExecutionRunner {
    /// Restarts in a row that each ran an execution without it recording anything, after which
    /// it is failed instead of run again.
    ///
    /// A bug that stops the process while it runs one execution (a Swift trap) would otherwise
    /// stop it again at every start, since every start resumes the execution: one execution would
    /// keep the whole server down. A `kill -9` landing in the moment between an execution's
    /// resumption and its next event is the only other way to count one, so three in a row
    /// means a crash, not bad luck.
    public static let resumptionsWithoutProgressLimit = 3

    /// What ``resumeAfterRestart(_:history:)`` did.
    enum Resumption {
        /// The execution was failed: it made no progress across the last restarts.
        case failed(ExecutionOutcome)
        /// An `execution.resumed` event was appended; the history must be read again.
        case recorded
        /// Nothing was appended: the execution only waits (a sleep, a callback), and running it on
        /// runs nothing until its wait ends, so it cannot be what stopped the process.
        case unrecorded
    }

    /// Called before the first run of an unfinished execution after a restart. Fails it when the
    /// last ``resumptionsWithoutProgressLimit`` restarts each resumed it and it recorded nothing
    /// after; otherwise records this resumption, so the next restart can tell.
    func resumeAfterRestart(_ id: ExecutionID, history: ExecutionHistory) async throws(SluiceError) -> Resumption {
        let metadata = EventMetadata(correlationID: history.correlationID, principal: "sluice-engine")
        if history.resumptionsWithoutProgress >= Self.resumptionsWithoutProgressLimit {
            let ending = ExecutionHistory.Ending.failed(
                WorkflowError(
                    tags: ["InternalError"],
                    message: "the server stopped each of the last \(history.resumptionsWithoutProgress) times "
                        + "it resumed this execution, before the execution recorded anything: it was failed so "
                        + "that the server can run; replay it once the cause is fixed"))
            _ = try await log.append(
                [try ExecutionEvents.ended(ending, metadata: metadata)], to: id.stream,
                expectedVersion: .exact(history.version))
            metrics.finished(ending, microseconds: now() - history.startedAt)
            ended.record(id, ending)
            logger.error(
                "failed an execution that made no progress across restarts",
                metadata: ["execution.id": "\(id)", "execution.resumptions": "\(history.resumptionsWithoutProgress)"])
            return .failed(
                ExecutionOutcome(executionID: id.rawValue, ending: ending, effectsPerformed: 0, effectsReused: 0))
        }
        if history.isOnlyWaiting { return .unrecorded }
        let event = NewEvent(type: ExecutionEventType.resumed, data: "{}", metadata: metadata)
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
