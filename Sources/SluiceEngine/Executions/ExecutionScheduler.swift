public import Logging
import OrderedCollections
import SluiceCore
public import SluiceLog

/// Runs every execution that is started, whoever started it (the API, a function, a replay),
/// and at start-up resumes every execution that had not ended, so a restart loses none.
public struct ExecutionScheduler: Sendable {
    private let log: any EventLog
    private let runner: ExecutionRunner
    private let maximumConcurrent: Int
    private let logger: Logger
    private let afterCrash: Bool

    /// `afterCrash`: the process before this one crashed (see `ExecutionRunner.run`).
    public init(
        log: any EventLog, runner: ExecutionRunner, maximumConcurrent: Int = 256, afterCrash: Bool = false,
        logger: Logger
    ) {
        self.afterCrash = afterCrash
        self.log = log
        self.runner = runner
        self.maximumConcurrent = max(1, maximumConcurrent)
        self.logger = logger
    }

    /// Where an execution to run was learnt of.
    private enum Source {
        case announced, tail
    }

    /// Runs until the task is cancelled.
    ///
    /// An execution this process starts arrives twice: announced by the runner the moment its
    /// start is durable (the fast path), and again from the log's tail (the path of record, which
    /// also brings starts made by other processes). Whichever comes second is skipped.
    public func run() async throws {
        let head = try await log.headPosition()
        let unfinished = try await unfinishedExecutions(upTo: head)
        logger.info("resuming unfinished executions", metadata: ["executions.count": "\(unfinished.count)"])
        let (ready, readyContinuation) = AsyncStream.makeStream(of: (ExecutionID, Source, Bool).self)
        try await withThrowingTaskGroup(of: Void.self) { feeds in
            feeds.addTask {
                defer { readyContinuation.finish() }
                for try await event in log.tail(after: head, types: [ExecutionEventType.started]) {
                    guard event.stream.rawValue.hasPrefix("execution/") else { continue }
                    readyContinuation.yield(
                        (try ExecutionID(String(event.stream.rawValue.dropFirst("execution/".count))), .tail, true))
                }
            }
            feeds.addTask {
                for await launch in runner.launches.stream {
                    readyContinuation.yield((launch.id, .announced, launch.needsRun))
                }
            }
            feeds.addTask { try await schedule(unfinished: unfinished, ready: ready) }
            try await feeds.next()
            feeds.cancelAll()
        }
    }

    /// `ready` brings each execution with whether it needs running: one that its starter also ran
    /// to its end is announced only so that its start, when the tail brings it, is passed by.
    private func schedule(unfinished: [ExecutionID], ready: AsyncStream<(ExecutionID, Source, Bool)>) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            func schedule(_ id: ExecutionID, afterRestart: Bool = false) async throws {
                if running >= maximumConcurrent {
                    try await group.next()
                    running -= 1
                }
                running += 1
                group.addTask { await self.runOne(id, afterRestart: afterRestart) }
            }
            for id in unfinished { try await schedule(id, afterRestart: true) }
            // Ids that came by one path and are still expected by the other, oldest first; bounded
            // because an announcement can be dropped, and then its id never comes a second time.
            var awaitingOtherPath: [Source: OrderedSet<String>] = [.announced: [], .tail: []]
            for await (id, source, needsRun) in ready {
                let other: Source = source == .tail ? .announced : .tail
                if awaitingOtherPath[other]?.remove(id.rawValue) != nil { continue }
                awaitingOtherPath[source, default: []].append(id.rawValue)
                if let count = awaitingOtherPath[source]?.count, count > Self.rememberedStarts {
                    awaitingOtherPath[source]?.removeFirst()
                }
                if needsRun { try await schedule(id) }
            }
            try Task.checkCancellation()
        }
    }

    /// How many ids awaiting their second arrival are remembered.
    private static let rememberedStarts = 65_536

    private func runOne(_ id: ExecutionID, afterRestart: Bool) async {
        do {
            let outcome = try await runner.run(
                id, waitingForClaim: true, afterRestart: afterRestart, afterCrash: afterRestart && afterCrash)
            logger.debug(
                "execution ended", metadata: ["execution.id": "\(id)", "execution.ending": "\(outcome.ending)"])
        } catch  where error.code == .failedPrecondition {
            logger.debug("execution advanced elsewhere", metadata: ["execution.id": "\(id)"])
        } catch {
            logger.error("execution stopped", metadata: ["execution.id": "\(id)", "error": "\(error)"])
        }
    }

    /// Executions started at or before `head` whose stream holds no ending.
    private func unfinishedExecutions(upTo head: Int64) async throws(SluiceError) -> [ExecutionID] {
        var started: [String] = []
        var ended: Set<String> = []
        var after: Int64 = 0
        let endings = [ExecutionEventType.succeeded, ExecutionEventType.failed, ExecutionEventType.cancelled]
        while after < head {
            let page = try await log.query(
                EventQuery(
                    streamPrefix: "execution/", types: [ExecutionEventType.started] + endings, after: after,
                    limit: 10_000))
            for event in page.events where event.position <= head {
                if event.type == ExecutionEventType.started {
                    started.append(event.stream.rawValue)
                } else {
                    ended.insert(event.stream.rawValue)
                }
            }
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        return started.filter { !ended.contains($0) }.compactMap {
            try? ExecutionID(String($0.dropFirst("execution/".count)))
        }
    }
}
