import Foundation
public import Logging
import OrderedCollections
public import SluiceAdapters
import SluiceCore
public import SluiceLog
public import SluiceResources
import SluiceWorkflows

/// Delivers every published message to the functions its topic triggers, like Eventarc does for
/// 2nd-gen Cloud Functions. A start-workflow function starts its workflow with the CloudEvent's
/// data as argument, under an execution id derived from the message id, so a redelivery starts
/// nothing twice; command and HTTP functions run through their runtime. Each outcome is
/// recorded in the function's stream; failures are retried with exponential backoff when the
/// function asks for it, and a restart resumes every unacknowledged delivery from the log.
/// A message given up (after `maxDeliveryAttempts`, or after its one attempt without retry) is
/// published to the function's dead-letter topic, if it has one, with the attributes Pub/Sub
/// adds; a redrive (`delivery.redriven`) hands given-up messages to the function again.
public struct FunctionDispatcher: Sendable {
    /// Makes the runtime for a command or HTTP function; `nil` when this process cannot run it.
    public typealias Runtimes = @Sendable (FunctionTarget) -> (any FunctionRuntime)?

    private let log: any EventLog
    private let runner: ExecutionRunner
    private let catalog: WorkflowCatalog
    private let runtimes: Runtimes
    private let retryPolicy: RetryPolicy
    private let project: String
    private let logger: Logger
    private let checkpointInterval: Duration

    /// `retryPolicy` spaces retries of failed invocations (Cloud Functions: 10 s doubling to 600 s),
    /// for functions deployed with `retryOnFailure`; retrying stops after the 7-day retention.
    public init(
        log: any EventLog, runner: ExecutionRunner, catalog: WorkflowCatalog,
        runtimes: @escaping Runtimes = { _ in nil },
        retryPolicy: RetryPolicy = RetryPolicy(minimumBackoffSeconds: 10, maximumBackoffSeconds: 600),
        project: String = "local", checkpointInterval: Duration = .seconds(2), logger: Logger
    ) {
        self.log = log
        self.runner = runner
        self.catalog = catalog
        self.runtimes = runtimes
        self.retryPolicy = retryPolicy
        self.project = project
        self.checkpointInterval = checkpointInterval
        self.logger = logger
    }

    static let retentionMicros: Int64 = 7 * 86_400 * 1_000_000

    /// The event types the dispatcher follows.
    static let feedTypes = [
        FunctionEvent.TypeName.deployed, FunctionEvent.TypeName.deleted,
        TopicEvent.TypeName.messagePublished, FunctionDelivery.TypeName.redriven,
    ]

    /// Follows functions, messages and redrives from the last checkpoint on (see
    /// ``DispatcherCheckpoint``), and records a new checkpoint every `checkpointInterval` while
    /// the low-water mark moves.
    public func run() async throws {
        let limiter = InstanceLimiter()
        let start = try await DispatcherCheckpoint.latest(in: log)
        let progress = DeliveryLedger(log: log, checkpoint: start)
        let watermark = DispatchWatermark(after: start)
        var functions = try await configurations(through: start)
        if start > 0 {
            logger.info(
                "function deliveries resume after the checkpoint",
                metadata: ["checkpoint.position": "\(start)", "functions": "\(functions.count)"])
        }
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await keepCheckpoint(watermark, from: start) }
                try await EventFeed.follow(log, types: Self.feedTypes, after: start) { event in
                    await watermark.hold(event.position)
                    if event.type == FunctionDelivery.TypeName.redriven {
                        guard let config = functions[event.stream.rawValue] else {
                            await watermark.fed(event.position)
                            await watermark.release(event.position)
                            return
                        }
                        let redriven = try FunctionDelivery.decode(FunctionDelivery.Redriven.self, event)
                        let stream = ResourceStreams.topic(try TopicName(redriven.topic))
                        for id in redriven.messageIds {
                            guard let message = try await log.readStream(stream, from: Int64(id) ?? 0, limit: 1).first,
                                let resume = try await resumption(
                                    of: message, id: id, redrive: event, topic: redriven.topic, config: config,
                                    after: start, ledger: progress)
                            else { continue }
                            await limiter.acquire(config.name.rawValue, limit: config.maxInstances)
                            try Task.checkCancellation()
                            await watermark.hold(event.position)
                            group.addTask {
                                if await deliver(
                                    message, topic: redriven.topic, to: config, from: resume, limiter: limiter)
                                {
                                    await watermark.release(event.position)
                                }
                            }
                        }
                    } else if event.stream.rawValue.hasPrefix("function/") {
                        apply(event, to: &functions)
                    } else {
                        let topic = String(event.stream.rawValue.dropFirst("topic/".count))
                        for config in functions.values.sorted(by: { $0.name < $1.name })
                        where config.triggerTopic.rawValue == topic {
                            let done = try await progress.progress(of: config.name.rawValue, topic: topic, event: event)
                            guard !done.acked, !done.givenUp else { continue }
                            await limiter.acquire(config.name.rawValue, limit: config.maxInstances)
                            try Task.checkCancellation()
                            await watermark.hold(event.position)
                            group.addTask {
                                if await deliver(event, topic: topic, to: config, from: done, limiter: limiter) {
                                    await watermark.release(event.position)
                                }
                            }
                        }
                    }
                    await watermark.fed(event.position)
                    await watermark.release(event.position)
                }
            }
        } onCancel: {
            Task { await limiter.releaseWaiters() }
        }
    }

    /// Where a redriven message's delivery resumes, or nil when nothing is to be done here.
    ///
    /// The ledger answers for a redrive it had not read when it loaded. A redrive it had read
    /// is resumed by the message's own event, when the feed reads that again; a message at or
    /// before the checkpoint is not read again, so then this redrive resumes it.
    private func resumption(
        of message: RecordedEvent, id: String, redrive: RecordedEvent, topic: String, config: FunctionConfig,
        after start: Int64, ledger: DeliveryLedger
    ) async throws(SluiceError) -> DeliveryProgress? {
        let name = config.name.rawValue
        if let progress = try await ledger.redriven(name, topic: topic, messageID: id, position: redrive.position) {
            return progress
        }
        guard message.position <= start else { return nil }
        let progress = try await ledger.progress(of: name, topic: topic, event: message)
        return progress.acked || progress.givenUp ? nil : progress
    }

    /// The functions as deployed at `position`: the state the feed would have built reading up to it.
    private func configurations(through position: Int64) async throws(SluiceError) -> [String: FunctionConfig] {
        var functions: [String: FunctionConfig] = [:]
        var after: Int64 = 0
        while after < position {
            let page = try await log.query(
                EventQuery(
                    types: [FunctionEvent.TypeName.deployed, FunctionEvent.TypeName.deleted], after: after,
                    limit: 1_000))
            for event in page.events where event.position <= position { apply(event, to: &functions) }
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        return functions
    }

    private func apply(_ event: RecordedEvent, to functions: inout [String: FunctionConfig]) {
        var state = FunctionState()
        if let config = functions[event.stream.rawValue] { state.config = config }
        do { state.apply(try FunctionEvent(event)) } catch {
            logger.error("unreadable function event", metadata: ["event.position": "\(event.position)"])
        }
        functions[event.stream.rawValue] = state.config
    }

    /// Records the low-water mark each `checkpointInterval` while it moves, until cancelled.
    private func keepCheckpoint(_ watermark: DispatchWatermark, from start: Int64) async {
        var saved = start
        while !Task.isCancelled {
            try? await Task.sleep(for: checkpointInterval)
            guard !Task.isCancelled else { return }
            let low = await watermark.lowWater
            guard low > saved else { continue }
            do {
                try await DispatcherCheckpoint.record(low, in: log)
                saved = low
            } catch {
                logger.warning("the dispatcher checkpoint was not recorded", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Runs attempts until one succeeds, the function does not retry, or retention runs out.
    /// Holds an instance while invoking, not while waiting for a retry. Returns whether the
    /// message ended acknowledged or given up (not cancelled, and its outcome recorded).
    private func deliver(
        _ event: RecordedEvent, topic: String, to config: FunctionConfig, from progress: DeliveryProgress,
        limiter: InstanceLimiter
    ) async -> Bool {
        let name = config.name.rawValue
        var attempt = progress.attempts + 1
        var retryAt = progress.retryAtMicros
        var holding = true
        defer { if holding { Task { await limiter.release(name) } } }
        while !Task.isCancelled {
            if let retryAt {
                await limiter.release(name)
                holding = false
                let wait = retryAt - WallClock.microsecondsSinceEpoch()
                if wait > 0 { try? await Task.sleep(for: .microseconds(wait)) }
                guard !Task.isCancelled else { return false }
                await limiter.acquire(name, limit: config.maxInstances)
                holding = true
            }
            do {
                let settled = try await attemptOnce(
                    event, topic: topic, config: config, attempt: attempt, round: progress.round)
                guard let next = settled else { return true }
                retryAt = next
                attempt += 1
            } catch {
                logger.error(
                    "delivery not recorded; retrying after a restart",
                    metadata: ["function": "\(name)", "event.position": "\(event.position)", "error": "\(error)"])
                return false
            }
        }
        return false
    }

    /// One invocation and its record; returns when to retry, or `nil` when the message is settled.
    private func attemptOnce(
        _ event: RecordedEvent, topic: String, config: FunctionConfig, attempt: Int, round: String
    ) async throws(SluiceError) -> Int64? {
        let message = try TopicEvent(event)
        guard case .messagePublished(let published) = message else { return nil }
        let publishTime = published.publishTime.rfc3339Microseconds
        let metadata = EventMetadata(
            correlationID: event.metadata.correlationID, causationID: event.id.description, principal: "sluice-engine")
        let started = ContinuousClock.now
        var executionID: String?
        var outcome: FunctionOutcome
        switch config.target {
        case .startWorkflow(let workflow):
            do {
                let argument = MessagePublishedArgument.value(
                    project: project, subscription: config.subscriptionName, messageID: published.messageID,
                    publishTime: publishTime, attributes: published.attributes, data: published.data,
                    orderingKey: published.orderingKey)
                let start = try await startWorkflow(
                    workflow, argument: argument, messageID: published.messageID, config: config, topic: topic,
                    attempt: attempt, started: started, metadata: metadata)
                // A new execution was started and its delivery acknowledged by one append.
                if start.acknowledged { return nil }
                executionID = start.id
                outcome = FunctionOutcome(status: .succeeded, duration: ContinuousClock.now - started)
            } catch {
                outcome = FunctionOutcome(status: .failed(error.message), duration: ContinuousClock.now - started)
            }
        case .command, .http:
            guard let runtime = runtimes(config.target) else {
                outcome = FunctionOutcome(
                    status: .unreachable("this Sluice process has no runtime for \(config.name)'s target"),
                    duration: .zero)
                break
            }
            let cloudEvent = CloudEvent.pubsubMessagePublished(
                project: project, topic: topic, subscription: config.subscriptionName,
                messageID: published.messageID, publishTime: publishTime, attributes: published.attributes,
                data: published.data, orderingKey: published.orderingKey)
            outcome = await runtime.invoke(
                FunctionInvocation(
                    function: config.name.rawValue, event: cloudEvent, attempt: attempt,
                    timeout: .seconds(config.timeoutSeconds),
                    idempotencyKey: "\(config.name.rawValue)/\(topic)/\(published.messageID)"))
        }
        return try await record(
            outcome, attempt: attempt, round: round, message: published, topic: topic, config: config,
            executionID: executionID, metadata: metadata)
    }

    /// Starts the execution for a message, acknowledging the delivery in the same append.
    /// `acknowledged` is false when the execution already existed (a redelivery after a crash):
    /// then nothing was appended and the caller records the acknowledgement.
    private func startWorkflow(
        _ workflow: String, argument: WorkflowValue, messageID: String, config: FunctionConfig, topic: String,
        attempt: Int, started: ContinuousClock.Instant, metadata: EventMetadata
    ) async throws(SluiceError) -> (id: String, acknowledged: Bool) {
        let id = ExecutionID.forMessage(subscription: "\(config.name.rawValue)-\(topic)", messageID: messageID)
        let revision = try await catalog.recentLatestRevision(of: workflow)
        let elapsed = ContinuousClock.now - started
        let acked = FunctionDelivery.Acked(
            messageId: messageID, topic: topic, attempt: attempt, executionId: id.rawValue,
            durationMs: Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15)
        let acknowledged = try await runner.startAndRun(
            id, ExecutionStart(workflow: workflow, revision: revision, argument: argument), metadata: metadata,
            alongside: [
                StreamAppend(
                    [FunctionDelivery.event(acked, type: FunctionDelivery.TypeName.acked, metadata: metadata)],
                    to: ResourceStreams.function(config.name))
            ],
            idempotencyKey: Self.ackKey(config: config, topic: topic, messageID: messageID))
        return (id.rawValue, acknowledged)
    }

    /// The idempotency key of a message's acknowledgement by a function: one per message.
    static func ackKey(config: FunctionConfig, topic: String, messageID: String) -> String {
        "ack/\(config.name.rawValue)/\(topic)/\(messageID)"
    }

    private func record(
        _ outcome: FunctionOutcome, attempt: Int, round: String, message: PubsubMessage, topic: String,
        config: FunctionConfig, executionID: String?, metadata: EventMetadata
    ) async throws(SluiceError) -> Int64? {
        let messageID = message.messageID
        let publishedMicros = message.publishTime.microseconds
        let milliseconds =
            Double(outcome.duration.components.seconds) * 1_000
            + Double(outcome.duration.components.attoseconds) / 1e15
        var events: [NewEvent] = []
        if !outcome.output.text.isEmpty || !outcome.errorOutput.text.isEmpty {
            let output = FunctionDelivery.Output(
                messageId: messageID, attempt: attempt, stdout: outcome.output.lines,
                stderr: outcome.errorOutput.lines,
                droppedBytes: outcome.output.droppedBytes + outcome.errorOutput.droppedBytes)
            events.append(FunctionDelivery.event(output, type: FunctionDelivery.TypeName.output, metadata: metadata))
        }
        var retryAt: Int64?
        let key: String
        switch outcome.status {
        case .succeeded:
            let acked = FunctionDelivery.Acked(
                messageId: messageID, topic: topic, attempt: attempt, executionId: executionID, durationMs: milliseconds
            )
            events.append(FunctionDelivery.event(acked, type: FunctionDelivery.TypeName.acked, metadata: metadata))
            key = Self.ackKey(config: config, topic: topic, messageID: messageID)
        case .failed, .unreachable, .timedOut:
            let why: String
            switch outcome.status {
            case .failed(let reason), .unreachable(let reason): why = reason
            default: why = "timed out after \(config.timeoutSeconds) s"
            }
            retryAt = nextAttempt(config: config, attempt: attempt, publishedMicros: publishedMicros)
            var deadLetterTopic: String?
            if retryAt == nil, let topicName = config.deadLetterTopic {
                try await deadLetter(
                    message, to: topicName, attempt: attempt, round: round, config: config, metadata: metadata)
                deadLetterTopic = topicName.rawValue
            }
            let failed = FunctionDelivery.Failed(
                messageId: messageID, topic: topic, attempt: attempt, error: why, retryAtMicros: retryAt,
                durationMs: milliseconds, deadLetterTopic: deadLetterTopic)
            events.append(FunctionDelivery.event(failed, type: FunctionDelivery.TypeName.failed, metadata: metadata))
            key = "fail/\(config.name.rawValue)/\(topic)/\(messageID)/\(round)\(attempt)"
        }
        _ = try await log.append(
            events, to: ResourceStreams.function(config.name), expectedVersion: .any, idempotencyKey: key)
        if retryAt == nil, !outcome.succeeded {
            logger.warning(
                "function failed; message given up",
                metadata: ["function": "\(config.name)", "message": "\(messageID)"])
        }
        return retryAt
    }

    /// Publishes a given-up message on the dead-letter topic as Pub/Sub does, once per round.
    private func deadLetter(
        _ message: PubsubMessage, to topic: TopicName, attempt: Int, round: String, config: FunctionConfig,
        metadata: EventMetadata
    ) async throws(SluiceError) {
        var copy = message
        copy.attributes["CloudPubSubDeadLetterSourceDeliveryCount"] = String(attempt)
        copy.attributes["CloudPubSubDeadLetterSourceSubscription"] = config.subscriptionName
        copy.attributes["CloudPubSubDeadLetterSourceSubscriptionProject"] = project
        copy.attributes["CloudPubSubDeadLetterSourceTopicPublishTime"] = message.publishTime.rfc3339Milliseconds
        try await PubSubService(log: log).publish(
            topic: topic.rawValue, [copy],
            idempotencyKey:
                "dead-letter/\(config.subscriptionName)/\(config.triggerTopic)/\(round)\(message.messageID)",
            metadata: metadata)
        logger.warning(
            "function gave up a message; dead-lettered",
            metadata: ["function": "\(config.name)", "message": "\(message.messageID)", "topic": "\(topic)"])
    }

    private func nextAttempt(config: FunctionConfig, attempt: Int, publishedMicros: Int64) -> Int64? {
        guard config.retryOnFailure else { return nil }
        if let limit = config.maxDeliveryAttempts, attempt >= limit { return nil }
        let at = WallClock.microsecondsSinceEpoch() + retryPolicy.backoffSeconds(afterFailures: attempt) * 1_000_000
        return at - publishedMicros < Self.retentionMicros ? at : nil
    }
}
