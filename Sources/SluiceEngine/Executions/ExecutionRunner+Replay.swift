import OrderedCollections
public import SluiceCore
import SluiceLog
import SluiceWorkflows

extension ExecutionRunner {
    /// The event recorded on a replayed execution's stream, naming the new execution.
    public static let replayedType = "execution.replayed"

    /// Starts a new execution that reruns `original` on `revision` (latest when nil), reusing the
    /// original's recorded effect results up to the first difference or `liveFromStep`.
    /// Recorded on the original's stream with the principal and reason.
    public func replay(
        _ original: ExecutionID,
        as replayID: ExecutionID,
        revision: Int64? = nil,
        liveFromStep: String? = nil,
        principal: String?,
        reason: String
    ) async throws(SluiceError) {
        let history = try await history(of: original)
        guard let start = history.start else { throw SluiceError(.notFound, "execution \(original) does not exist") }
        guard history.ending != nil else {
            throw SluiceError(
                .failedPrecondition, "execution \(original) is still running; cancel it before replaying it")
        }
        let pinned = try await resolve(revision, of: start.workflow)
        try Self.check(
            liveFromStep, in: try await catalog.definition(of: start.workflow, revision: pinned), start.workflow, pinned
        )
        var replayed = ExecutionStart(workflow: start.workflow, revision: pinned, argument: start.argument)
        replayed.replayOf = original.rawValue
        replayed.liveFromStep = liveFromStep
        let metadata = EventMetadata(
            correlationID: history.correlationID, causationID: original.rawValue, principal: principal)
        guard try await self.start(replayID, replayed, metadata: metadata) else {
            throw SluiceError(.alreadyExists, "execution \(replayID) exists already")
        }
        var fields: OrderedDictionary<String, WorkflowValue> = [
            "replayId": .string(replayID.rawValue), "revision": .int(pinned), "reason": .string(reason),
        ]
        if let liveFromStep { fields["liveFromStep"] = .string(liveFromStep) }
        let event = NewEvent(type: Self.replayedType, encodedData: try EventPayload.encode(fields), metadata: metadata)
        _ = try await log.append([event], to: original.stream, expectedVersion: .any)
    }

    /// Refuses a `liveFromStep` the revision has no step of, which would otherwise reuse every
    /// recorded result and run nothing live.
    private static func check(
        _ liveFromStep: String?, in definition: WorkflowDefinition, _ workflow: String, _ revision: Int64
    ) throws(SluiceError) {
        guard let liveFromStep, !definition.hasStep(named: liveFromStep) else { return }
        throw SluiceError(
            .invalidArgument, "revision \(revision) of workflow \(workflow) has no step named '\(liveFromStep)'")
    }

    /// Replays `original` against `revision` without running anything, and reports where the new
    /// revision stops matching the recorded history.
    public func dryRunReplay(_ original: ExecutionID, revision: Int64? = nil, liveFromStep: String? = nil)
        async throws(SluiceError)
        -> ReplayReport
    {
        let history = try await history(of: original)
        guard let start = history.start else { throw SluiceError(.notFound, "execution \(original) does not exist") }
        let pinned = try await resolve(revision, of: start.workflow)
        let definition = try await catalog.definition(of: start.workflow, revision: pinned)
        try Self.check(liveFromStep, in: definition, start.workflow, pinned)
        var execution = WorkflowExecution(definition: definition, argument: start.argument)
        execution.recordsStepProgress = true
        var reuse = ReusedResults(source: original.rawValue, history: history, liveFromStep: liveFromStep)
        var reused = 0
        while true {
            let progress = execution.advance()
            reuse.observe(steps: execution.takeStepProgress())
            switch progress {
            case .finished(let value):
                return ReplayReport(reusableEffects: reused, divergence: nil, ending: .succeeded(value))
            case .failed(let error):
                return ReplayReport(reusableEffects: reused, divergence: nil, ending: .failed(error))
            case .effects(let requests):
                for request in requests {
                    guard let value = reuse.take(request) else {
                        let divergence = ReplayReport.Divergence(
                            effectID: request.id,
                            routine: request.routine,
                            step: request.step,
                            function: request.function,
                            reason: Self.divergenceReason(request, history: history, liveFromStep: liveFromStep)
                        )
                        return ReplayReport(reusableEffects: reused, divergence: divergence, ending: nil)
                    }
                    reused += 1
                    execution.complete(effectID: request.id, with: .success(value))
                }
            }
        }
    }

    /// The revision a replay runs: the one asked for, which must exist (NOT_FOUND otherwise, before
    /// anything is recorded), or the latest.
    private func resolve(_ revision: Int64?, of workflow: String) async throws(SluiceError) -> Int64 {
        guard let revision else { return try await catalog.latestRevision(of: workflow) }
        _ = try await catalog.definition(of: workflow, revision: revision)
        return revision
    }

    private static func divergenceReason(_ request: EffectRequest, history: ExecutionHistory, liveFromStep: String?)
        -> String
    {
        guard let recorded = history.requested[request.id] else {
            return "the original execution never asked for this effect"
        }
        if recorded.function != request.function {
            return "the original called \(recorded.function) here, the new revision calls \(request.function)"
        }
        if recorded.arguments != .map(request.arguments) { return "the arguments differ from the original call" }
        switch history.results[request.id] {
        case .failure?: return "this effect failed in the original execution and runs live"
        case nil: return "the original execution has no result for this effect"
        case .success?: return "the step \(liveFromStep ?? "") was asked to run live"
        }
    }
}
