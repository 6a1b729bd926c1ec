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
struct PipelineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Benchmark the whole pipeline in process: uploads to stored predictions.")

    @Option(help: "Uploads in the measured run.") var uploads: Int = 2_000
    @Option(help: "Concurrent uploaders.") var uploaders: Int = 32
    @Option(help: "Commit durability.") var synchronous: SQLiteEventLog.Configuration.Synchronous = .full
    @Option(help: "Directory for the data (default: a new temporary one).") var directory: String?
    @Flag(help: "Print one JSON object per figure.") var json = false

    func validate() throws {
        guard uploads > 0, uploaders > 0 else { throw ValidationError("--uploads and --uploaders must be positive") }
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
        let started = ContinuousClock.now
        let measured = try await withThrowingTaskGroup(of: Void.self) { group in
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
            let total = max(1, uploads / uploaders) * uploaders
            progress("uploading \(total) samples with \(uploaders) uploaders")
            let acknowledged = try await upload(resources.storage, sample: sample, completions: completions)
            progress("waiting for \(total) executions")
            let done = await completions.waitForAll(total, timeout: .seconds(600))
            group.cancelAll()
            return (acknowledged, done)
        }
        let elapsed = ContinuousClock.now - started
        await log.close()
        let (acknowledged, done) = measured
        BenchFigure.report(
            [
                BenchFigure(
                    name: "pipeline_uploads_per_s", value: Double(done.count) / elapsed.seconds, unit: "uploads/s",
                    baseline: 3_000),
                BenchFigure(
                    name: "pipeline_p50_ms", value: done.sample.percentileMilliseconds(50), unit: "ms", baseline: 5),
                BenchFigure(
                    name: "pipeline_p99_ms", value: done.sample.percentileMilliseconds(99), unit: "ms", baseline: 25),
                BenchFigure(
                    name: "upload_ack_p50_ms", value: acknowledged.percentileMilliseconds(50), unit: "ms"),
                BenchFigure(
                    name: "upload_ack_p99_ms", value: acknowledged.percentileMilliseconds(99), unit: "ms"),
                BenchFigure(name: "pipeline_completed_uploads", value: Double(done.count), unit: "uploads"),
            ],
            json: json)
    }

    /// Uploads `uploads` samples; returns the acknowledgement latencies.
    private func upload(_ storage: StorageService, sample: [UInt8], completions: CompletionClock) async throws
        -> LatencySample
    {
        let perUploader = max(1, uploads / uploaders)
        return try await withThrowingTaskGroup(of: LatencySample.self) { group in
            for uploader in 0..<uploaders {
                group.addTask {
                    var latencies = LatencySample()
                    for index in 0..<perUploader {
                        let correlation = "bench-\(uploader)-\(index)"
                        let begin = ContinuousClock.now
                        await completions.started(correlation, at: begin)
                        try await storage.upload(
                            bucket: "uploads", object: "bench/\(uploader)/\(index).json", bytes: sample,
                            contentType: "application/json", metadata: EventMetadata(correlationID: correlation))
                        latencies.record(ContinuousClock.now - begin)
                    }
                    return latencies
                }
            }
            var merged = LatencySample()
            for try await part in group { merged.merge(part) }
            return merged
        }
    }

    private func progress(_ text: String) {
        StandardOutput.errorLine("bench pipeline: " + text)
    }
}

/// When each upload started and when its execution succeeded, matched by correlation id.
actor CompletionClock {
    private var starts: [String: ContinuousClock.Instant] = [:]
    private var latencies = LatencySample()
    private var finished = 0

    func started(_ correlation: String, at instant: ContinuousClock.Instant) { starts[correlation] = instant }

    private func succeeded(_ correlation: String) {
        guard let start = starts.removeValue(forKey: correlation) else { return }
        latencies.record(ContinuousClock.now - start)
        finished += 1
    }

    /// Follows the log and times every `execution.succeeded`.
    nonisolated func follow(_ log: any EventLog) async throws {
        let head = try await log.headPosition()
        for try await event in log.tail(after: head) where event.type == "execution.succeeded" {
            if let correlation = event.metadata.correlationID { await succeeded(correlation) }
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
