import OrderedCollections
import SluiceCore
import SluiceLog
import SluiceResources
import SluiceWorkflows

/// One run of one execution: the loop between the interpreter, the history and the log.
/// Owned by the one task that runs it, so its state needs no lock.
final class ExecutionDrive {
    let id: ExecutionID
    let start: ExecutionStart
    var history: ExecutionHistory
    var reuse: ReusedResults?
    let log: any EventLog
    let performer: any EffectPerformer
    let now: @Sendable () -> Int64
    let metrics: ExecutionMetrics
    private var execution: WorkflowExecution

    private var version: Int64 = 0
    private var stepsToSkip = 0
    private var unrecordedSteps: [StepProgress] = []
    private var inFlight: Set<String> = []
    /// Replay-safe effects in flight that nothing records yet, with when they were requested.
    private var unrecordedRequests: [String: (request: EffectRequest, requestedAt: Int64)] = [:]
    /// Records (request and result in one event) of finished replay-safe effects, appended with the next
    /// event the drive must append anyway (a request of an outside effect, or the ending), so
    /// that a run of reads, keyed writes and in-process predictions costs one commit. A crash
    /// before then performs them again, which changes nothing outside.
    private var unrecordedEffects: [NewEvent] = []
    /// Past this many unrecorded effects they are appended on their own, bounding what a crash
    /// repeats and what one append carries.
    private static let maximumUnrecordedEffects = 64
    private var effectsPerformed = 0
    private var effectsReused = 0
    /// Whether log writes are planned and appended with the execution's progress (false after
    /// such an append lost a race, so the run that follows performs every effect).
    private let planning: Bool
    /// A planned write whose record is in `unrecordedEffects`: appended just before them, in the
    /// same step, and before any other effect is performed, so the execution reads its own writes.
    private var pendingWrite: PlannedEffect?
    /// The start of an execution this drive runs before it is recorded (see
    /// ``ExecutionRunner/startAndRun(_:_:metadata:alongside:idempotencyKey:)``): it goes out as
    /// the first event of the first append, and that append is the run's last but for an ending.
    private var pendingStart: PendingStart?

    init(
        execution: WorkflowExecution,
        id: ExecutionID,
        start: ExecutionStart,
        history: ExecutionHistory,
        reuse: ReusedResults?,
        log: any EventLog,
        performer: any EffectPerformer,
        now: @escaping @Sendable () -> Int64,
        metrics: ExecutionMetrics,
        planning: Bool = true,
        pendingStart: PendingStart? = nil
    ) {
        self.execution = execution
        self.id = id
        self.start = start
        self.history = history
        self.reuse = reuse
        self.log = log
        self.performer = performer
        self.now = now
        self.metrics = metrics
        self.planning = planning
        self.pendingStart = pendingStart
        version = pendingStart == nil ? history.version : 0
        stepsToSkip = history.stepsRecorded
    }

    private var metadata: EventMetadata {
        EventMetadata(correlationID: history.correlationID, causationID: id.rawValue, principal: "sluice-engine")
    }

    /// Why the loop stopped early: someone else ended the execution.
    private struct EndedElsewhere: Error {
        var ending: ExecutionHistory.Ending
    }

    /// Why the loop stopped early: a planned write lost a race, so what the workflow went on with
    /// was decided on a state that no longer holds. Nothing of it was stored.
    private struct PlannedWriteLost: Error {}

    /// Why a run that began with its start unrecorded stopped after recording it: what is left
    /// goes to the scheduler, which runs the execution from its history.
    private struct HandedOff: Error {}

    /// Why a run that began with its start unrecorded stopped without recording anything: the
    /// execution (or the start's idempotency key) was there already.
    private struct StartedElsewhere: Error {}

    /// How a run ended: with the execution, or early for one of the reasons above.
    enum RunEnd {
        case ended(ExecutionOutcome)
        /// A planned write lost a race: run again from the history without planning writes.
        case plannedWriteLost
        /// The start and the work before an outside effect are recorded; the scheduler goes on.
        case handedOff
        /// The pending start found its execution or key recorded already; this run stored nothing.
        case startedElsewhere
    }

    /// What a performed effect hands back to the loop: its id, result and how long it took.
    fileprivate typealias Performed = (id: String, result: Result<WorkflowValue, WorkflowError>, tookMicros: Int64)

    /// Runs the execution until it ends or stops early (see ``RunEnd``).
    func run() async throws(SluiceError) -> RunEnd {
        do {
            return try await withThrowingTaskGroup(of: Performed.self) { group in
                let outcome = try await self.loop(group: &group)
                group.cancelAll()
                return .ended(outcome)
            }
        } catch let ended as EndedElsewhere {
            return .ended(outcome(ended.ending))
        } catch is PlannedWriteLost {
            return .plannedWriteLost
        } catch is HandedOff {
            return .handedOff
        } catch is StartedElsewhere {
            return .startedElsewhere
        } catch let error as SluiceError {
            throw error
        } catch {
            throw SluiceError(.internalFailure, "execution \(id) stopped unexpectedly: \(error)")
        }
    }

    private func loop(
        group: inout ThrowingTaskGroup<Performed, any Error>
    ) async throws -> ExecutionOutcome {
        while true {
            let progress = execution.advance()
            collectSteps(execution.takeStepProgress())
            switch progress {
            case .finished(let value):
                return try await end(.succeeded(value))
            case .failed(let error):
                return try await end(.failed(error))
            case .effects(let requests):
                var resolved = false
                var events: [NewEvent] = []
                var live: [(EffectRequest, EffectContext)] = []
                for request in requests where !inFlight.contains(request.id) {
                    if let recorded = history.results[request.id] {
                        execution.complete(effectID: request.id, with: recorded)
                        resolved = true
                    } else if let value = reuse?.take(request) {
                        events.append(
                            try ExecutionEvents.effectResult(
                                id: request.id, .success(value), request: recorded(request, requestedAt: now()),
                                reusedFrom: reuse?.source, metadata: metadata)
                        )
                        execution.complete(effectID: request.id, with: .success(value))
                        effectsReused += 1
                        resolved = true
                    } else if let earlier = history.requested[request.id] {
                        live.append((request, context(request, requestedAt: earlier.requestedAt)))
                    } else {
                        let requestedAt = now()
                        if try await planned(request, requestedAt: requestedAt) {
                            resolved = true
                            continue
                        }
                        if await performer.isReplaySafe(request) {
                            unrecordedRequests[request.id] = (request, requestedAt)
                        } else {
                            // Unrecorded, the run may only do what it can do again: record the
                            // start and the work so far, and leave the effect to the scheduler.
                            if pendingStart != nil { try await append([]) }
                            events.append(
                                try ExecutionEvents.effectRequested(
                                    request, idempotencyKey: key(request), metadata: metadata))
                        }
                        live.append((request, context(request, requestedAt: requestedAt)))
                    }
                }
                if !events.isEmpty || (pendingWrite != nil && !live.isEmpty) { try await append(events) }
                let finished: Performed
                if !resolved, inFlight.isEmpty, live.count == 1, let (request, context) = live.first {
                    // The one effect the workflow waits for runs in this task: a child task would
                    // cost two trips through the executor's queue (its start and this task's
                    // resumption), and each waits behind all the other executions' work.
                    inFlight.insert(request.id)
                    effectsPerformed += 1
                    finished = await performTimed(request, context: context, performer: performer, metrics: metrics)
                } else {
                    for (request, context) in live {
                        inFlight.insert(request.id)
                        effectsPerformed += 1
                        let performer = self.performer
                        let metrics = self.metrics
                        group.addTask {
                            await performTimed(request, context: context, performer: performer, metrics: metrics)
                        }
                    }
                    if resolved { continue }
                    guard let next = try await group.next() else {
                        throw SluiceError(.internalFailure, "execution \(id) waits for effects but none is in flight")
                    }
                    finished = next
                }
                let (effectID, result, tookMicros) = finished
                if Task.isCancelled {
                    // Stopping, not failing: an effect cut short by shutdown is not its result.
                    let current = try await ExecutionRunnerHistory.read(id, log: log)
                    if let ending = current.ending { throw EndedElsewhere(ending: ending) }
                    throw SluiceError(.unavailable, "execution \(id) parked: the engine is stopping")
                }
                inFlight.remove(effectID)
                if let unrecorded = unrecordedRequests.removeValue(forKey: effectID) {
                    unrecordedEffects.append(
                        try ExecutionEvents.effectResult(
                            id: effectID, result,
                            request: recorded(unrecorded.request, requestedAt: unrecorded.requestedAt),
                            reusedFrom: nil, tookMicros: tookMicros, metadata: metadata))
                    if unrecordedEffects.count >= Self.maximumUnrecordedEffects { try await append([]) }
                } else {
                    try await append([
                        try ExecutionEvents.effectResult(
                            id: effectID, result, reusedFrom: nil, tookMicros: tookMicros, metadata: metadata)
                    ])
                }
                execution.complete(effectID: effectID, with: result)
            }
        }
    }

    /// Plans `request` when the performer can and no other planned write is pending: its
    /// record joins the unrecorded effects and its write waits for the next append. Returns
    /// whether it did.
    private func planned(_ request: EffectRequest, requestedAt: Int64) async throws -> Bool {
        guard planning, pendingWrite == nil else { return false }
        let started = ContinuousClock.now
        guard let planned = await performer.plan(request, context: context(request, requestedAt: requestedAt)) else {
            return false
        }
        let elapsed = ContinuousClock.now - started
        metrics.effect(function: request.function, result: .success(planned.result), elapsed: elapsed)
        unrecordedEffects.append(
            try ExecutionEvents.effectResult(
                id: request.id, .success(planned.result), request: recorded(request, requestedAt: requestedAt),
                reusedFrom: nil, tookMicros: elapsed.wholeMicroseconds, metadata: metadata))
        pendingWrite = planned
        effectsPerformed += 1
        execution.complete(effectID: request.id, with: .success(planned.result))
        return true
    }

    /// Keeps steps the history does not hold yet; they go out with the next append.
    private func collectSteps(_ steps: [StepProgress]) {
        reuse?.observe(steps: steps)
        var remaining = steps[...]
        if stepsToSkip > 0 {
            let skipped = min(stepsToSkip, remaining.count)
            remaining = remaining.dropFirst(skipped)
            stepsToSkip -= skipped
        }
        unrecordedSteps.append(contentsOf: remaining)
    }

    private func end(_ ending: ExecutionHistory.Ending) async throws -> ExecutionOutcome {
        try await append([try ExecutionEvents.ended(ending, metadata: metadata)], ending: true)
        metrics.finished(ending, microseconds: now() - history.startedAt)
        return outcome(ending)
    }

    /// Appends with the steps taken and the replay-safe effects finished since the last append,
    /// expecting exactly our version. A pending start goes first; the append that records it
    /// ends a run that began with it, unless it is the `ending`.
    private func append(_ events: [NewEvent], ending: Bool = false) async throws {
        var batch = unrecordedEffects + events
        if !unrecordedSteps.isEmpty {
            batch.insert(try ExecutionEvents.stepsStarted(unrecordedSteps, metadata: metadata), at: 0)
        }
        if let pendingStart { batch.insert(pendingStart.event, at: 0) }
        let progress = StreamAppend(batch, to: id.stream, expectedVersion: .exact(version))
        let appended: AppendResult
        do {
            // The log reads in the order things happened: a planned write before the execution's
            // record of it, unless the execution's start comes in this append too; what the start
            // came with (a delivery's acknowledgement) last.
            let planned = pendingWrite?.parts ?? []
            let before = pendingStart == nil ? planned : []
            let after = (pendingStart == nil ? [] : planned) + (pendingStart?.alongside ?? [])
            let key = pendingStart?.idempotencyKey
            appended =
                if before.isEmpty && after.isEmpty && key == nil {
                    try await log.append(batch, to: id.stream, expectedVersion: .exact(version))
                } else if let admission = pendingWrite?.admission {
                    try await admission.committing { () async throws(SluiceError) in
                        try await log.append(before + [progress] + after, idempotencyKey: key)[before.count]
                    }
                } else {
                    try await log.append(before + [progress] + after, idempotencyKey: key)[before.count]
                }
        } catch {
            guard error.code == .wrongExpectedVersion else { throw error }
            let current = try await ExecutionRunnerHistory.read(id, log: log)
            if pendingStart != nil, current.start != nil {
                pendingWrite?.forget()
                throw StartedElsewhere()
            }
            if let ending = current.ending { throw EndedElsewhere(ending: ending) }
            if let pendingWrite, current.version == version {
                pendingWrite.forget()
                throw PlannedWriteLost()
            }
            throw SluiceError(.failedPrecondition, "execution \(id) is being advanced by another runner")
        }
        if appended.wasDuplicate {
            pendingWrite?.forget()
            throw StartedElsewhere()
        }
        let recordedStart = pendingStart != nil
        pendingStart = nil
        pendingWrite = nil
        version = appended.lastVersion
        unrecordedSteps.removeAll(keepingCapacity: true)
        unrecordedEffects.removeAll(keepingCapacity: true)
        if recordedStart && !ending { throw HandedOff() }
    }

    private func key(_ request: EffectRequest) -> String { id.rawValue + "/" + request.id }

    private func recorded(_ request: EffectRequest, requestedAt: Int64) -> ExecutionEvents.RecordedRequest {
        ExecutionEvents.RecordedRequest(request: request, idempotencyKey: key(request), requestedAt: requestedAt)
    }

    private func context(_ request: EffectRequest, requestedAt: Int64) -> EffectContext {
        EffectContext(
            executionID: id.rawValue,
            workflow: start.workflow,
            revision: start.revision,
            idempotencyKey: key(request),
            requestedAt: requestedAt,
            correlationID: history.correlationID
        )
    }

    private func outcome(_ ending: ExecutionHistory.Ending) -> ExecutionOutcome {
        ExecutionOutcome(
            executionID: id.rawValue, ending: ending, effectsPerformed: effectsPerformed, effectsReused: effectsReused)
    }
}

extension Duration {
    /// The duration in whole microseconds, as an effect's record states how long it took.
    fileprivate var wholeMicroseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}

/// An execution's start that a drive appends with its first progress, with what it came with.
struct PendingStart {
    var event: NewEvent
    var alongside: [StreamAppend]
    var idempotencyKey: String?
}

/// Performs one effect and times it. A result no workflow value may be (an HTTP body of 50 MB)
/// is the error the workflow would get holding it, recorded and raised where it can be caught,
/// rather than an event too large for the log that would end the execution.
private func performTimed(
    _ request: EffectRequest, context: EffectContext, performer: any EffectPerformer, metrics: ExecutionMetrics
) async -> ExecutionDrive.Performed {
    let started = ContinuousClock.now
    var result = await performer.perform(request, context: context)
    if case .success(let value) = result, let problem = value.holdingProblem { result = .failure(problem) }
    let elapsed = ContinuousClock.now - started
    metrics.effect(function: request.function, result: result, elapsed: elapsed)
    return (request.id, result, elapsed.wholeMicroseconds)
}
