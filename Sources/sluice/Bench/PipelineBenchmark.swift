import ArgumentParser
import Foundation
import Logging
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceLogSQLite
import SluiceResources
import SluiceStack

/// `sluice bench pipeline`: the example ML pipeline in one process on a real SQLite log: uploads
/// through notification, topic, function and workflow (read the upload, predict, store the
/// prediction), measured from the upload call to the execution's success.
///
/// Two phases: uploaders as fast as they can go give the throughput (`pipelines_per_s`); then
/// uploads issued on a fixed schedule at half that rate, each on its own task so a slow one
/// delays no later one, give the latency (`latency_p50_ms`, `latency_p99_ms`).
struct PipelineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Benchmark the whole pipeline in process: uploads to stored predictions.")

    @Option(help: "Uploads in the measured run.") var uploads: Int = 2_000
    @Option(help: "Concurrent uploaders.") var uploaders: Int = 32
    @Option(help: "Uploads in the paced latency phase (0 skips it).") var pacedUploads: Int = 2_000
    @Option(help: "Uploads per second in the paced phase (default: half the measured throughput).")
    var pacedRate: Double?
    @Option(help: "Commit durability.") var synchronous: SQLiteEventLog.Configuration.Synchronous = .full
    @Option(help: "Directory for the data (default: a new temporary one).") var directory: String?
    @Flag(help: "Print one JSON object per figure.") var json = false

    func validate() throws {
        guard uploads > 0, uploaders > 0 else { throw ValidationError("--uploads and --uploaders must be positive") }
        guard pacedUploads >= 0 else { throw ValidationError("--paced-uploads must not be negative") }
        guard (pacedRate ?? 1) > 0 else { throw ValidationError("--paced-rate must be positive") }
    }

    func run() async throws {
        let folder = directory ?? NSTemporaryDirectory() + "sluice-bench-pipeline-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        var configuration = SQLiteEventLog.Configuration(path: folder + "/sluice.db")
        configuration.synchronous = synchronous
        let log = try await SQLiteEventLog.open(configuration)
        let registry = ModelRegistry()
        let engine = try EngineContext.make(log: log, models: registry, dataDirectory: folder)
        let resources = try ResourceContext(log: log, dataDirectory: folder)
        try await StackApplier(
            log: log, storage: resources.storage, catalog: engine.catalog,
            models: DirectoryModelInstaller(directory: folder + "/models", registry: registry)
        ).apply(try StackLoading.load("example"))
        // One 8x8 image: a request body as a client of the Vertex endpoint would upload it.
        let pixels = (0..<64).map { String(Double($0 % 17) / 16) }.joined(separator: ",")
        let sample = Array("{\"instances\": [[\(pixels)]]}".utf8)

        let logger = {
            var logger = Logger(label: "sluice.bench.pipeline")
            logger.logLevel = .error
            return logger
        }()
        let completions = CompletionClock()
        let figures = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await NotificationEmitter(log: log, pubsub: resources.pubsub, logger: logger).run() }
            group.addTask {
                try await FunctionDispatcher(
                    log: log, runner: engine.runner, catalog: engine.catalog, logger: logger
                ).run()
            }
            group.addTask {
                try await ExecutionScheduler(log: log, runner: engine.runner, maximumConcurrent: 512, logger: logger)
                    .run()
            }
            group.addTask { try await completions.follow(log) }
            let before = log.statistics.snapshot
            let figures = try await measure(resources.storage, sample: sample, completions: completions)
            group.cancelAll()
            return figures
                + Self.commitFigures(log.statistics.snapshot, since: before, pipelines: uploads + pacedUploads)
        }
        await log.close()
        BenchFigure.report(figures, json: json)
    }

    /// How the pipelines' appends shared commits, over both phases: fewer, fuller commits cost
    /// fewer fsyncs and page writes per event.
    static func commitFigures(
        _ after: WriterStatistics.Snapshot, since before: WriterStatistics.Snapshot, pipelines: Int
    )
        -> [BenchFigure]
    {
        let commits = after.commits - before.commits
        let appends = after.appends - before.appends
        return [
            BenchFigure(
                name: "appends_per_pipeline", value: Double(appends) / Double(max(1, pipelines)), unit: "appends"),
            BenchFigure(
                name: "commits_per_pipeline", value: Double(commits) / Double(max(1, pipelines)), unit: "commits"),
            BenchFigure(
                name: "group_commit_mean_batch_appends", value: Double(appends) / Double(max(1, commits)),
                unit: "appends"),
            BenchFigure(
                name: "wal_pages_per_pipeline",
                value: Double(after.walPages - before.walPages) / Double(max(1, pipelines)), unit: "pages"),
            // What the writer did besides commits, appends waiting meanwhile.
            BenchFigure(
                name: "writer_settle_ms", value: Double(after.settleNanoseconds - before.settleNanoseconds) / 1e6,
                unit: "ms"),
            BenchFigure(
                name: "writer_settle_steps", value: Double(after.settleSteps - before.settleSteps), unit: "steps"),
            BenchFigure(
                name: "writer_checkpoints", value: Double(after.writerCheckpoints - before.writerCheckpoints),
                unit: "checkpoints"),
            BenchFigure(
                name: "background_checkpoints",
                value: Double(after.backgroundCheckpoints - before.backgroundCheckpoints), unit: "checkpoints"),
        ]
    }

    /// Runs both phases with in-process uploads, each under its key as correlation id.
    private func measure(_ storage: StorageService, sample: [UInt8], completions: CompletionClock) async throws
        -> [BenchFigure]
    {
        let phases = UploadPhases(
            uploaders: uploaders, uploads: uploads, pacedUploads: pacedUploads, pacedRate: pacedRate,
            throughput: ("pipelines_per_s", "pipelines/s", 3_000), latencyTargets: (5, 25), label: "bench pipeline")
        return try await phases.run(completions: completions) { key in
            try await storage.upload(
                bucket: "uploads", object: key, bytes: sample, contentType: "application/json",
                metadata: EventMetadata(correlationID: key))
        }
    }
}

/// When each upload started and when it completed, matched by a key: by default the correlation
/// id of its `execution.succeeded`.
actor CompletionClock {
    private var starts: [String: ContinuousClock.Instant] = [:]
    private var latencies = LatencySample()
    private var finished = 0
    private let completion: @Sendable (RecordedEvent) -> String?
    /// The only event types `completion` can match, so the clock reads no other events.
    private let types: [String]

    init(
        types: [String] = ["execution.succeeded"],
        completion: @escaping @Sendable (RecordedEvent) -> String? = { event in
            event.type == "execution.succeeded" ? event.metadata.correlationID : nil
        }
    ) {
        self.types = types
        self.completion = completion
    }

    func started(_ correlation: String, at instant: ContinuousClock.Instant) { starts[correlation] = instant }

    /// Forgets the latencies so far, for the next phase.
    func reset() {
        latencies = LatencySample()
        finished = 0
    }

    private func succeeded(_ correlation: String) {
        guard let start = starts.removeValue(forKey: correlation) else { return }
        latencies.record(ContinuousClock.now - start)
        finished += 1
    }

    /// Follows the log and times every completion.
    nonisolated func follow(_ log: any EventLog) async throws {
        let head = try await log.headPosition()
        for try await event in log.tail(after: head, types: types) {
            if let key = completion(event) { await succeeded(key) }
        }
    }

    /// Waits until `count` executions succeeded or `timeout` passed; returns their latencies.
    func waitForAll(_ count: Int, timeout: Duration) async -> (count: Int, sample: LatencySample) {
        let deadline = ContinuousClock.now + timeout
        while finished < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return (finished, latencies)
    }
}
