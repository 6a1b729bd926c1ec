import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import SluiceAdaptersLocal
import SluiceApp
import SluiceCore
import SluiceHTTP
import SluiceLog
import SluiceLogSQLite

/// `sluice bench http`: the whole service as users meet it. It runs `sluice serve` (the example
/// stack, a real SQLite log) in this process, and HTTP clients upload samples to the Cloud
/// Storage API; each upload is timed from the request to its prediction's `object.finalized` in
/// the `predictions` bucket. Phases as in `sluice bench pipeline`: clients as fast as they go
/// (`uploads_per_s`), then uploads on a fixed schedule at half that rate (`latency_p50_ms`,
/// `latency_p99_ms`). With `--baseline-pipelines-per-s` (what `sluice bench pipeline` measured)
/// it reports the HTTP cost as the ratio of the two.
struct HTTPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Benchmark uploads over HTTP through the whole pipeline to the stored prediction.")

    @Option(help: "Uploads in the measured run.") var uploads: Int = 2_000
    @Option(help: "Concurrent HTTP clients.") var clients: Int = 64
    @Option(help: "Uploads in the paced latency phase (0 skips it).") var pacedUploads: Int = 2_000
    @Option(help: "Uploads per second in the paced phase (default: half the measured throughput).")
    var pacedRate: Double?
    @Option(help: "Commit durability.") var synchronous: SQLiteEventLog.Configuration.Synchronous = .full
    @Option(help: "Directory for the data (default: a new temporary one).") var directory: String?
    @Option(help: "pipelines_per_s of `sluice bench pipeline` on this machine, for the HTTP cost ratio.")
    var baselinePipelinesPerS: Double?
    @Flag(help: "Print one JSON object per figure.") var json = false

    func validate() throws {
        guard uploads > 0, clients > 0 else { throw ValidationError("--uploads and --clients must be positive") }
        guard pacedUploads >= 0 else { throw ValidationError("--paced-uploads must not be negative") }
        guard (pacedRate ?? 1) > 0 else { throw ValidationError("--paced-rate must be positive") }
    }

    func run() async throws {
        let folder = directory ?? NSTemporaryDirectory() + "sluice-bench-http-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let configuration = try ServeConfiguration.resolve(
            flags: [
                "db": folder + "/sluice.db", "host": "127.0.0.1", "port": "0", "stack": "example",
                "synchronous": synchronous.rawValue, "max_executions": "512",
            ],
            environment: [:])
        CommandLogging.use(level: .error)
        let log = try await DatabaseOptions.open(path: configuration.databasePath, synchronous: synchronous)
        let handle = ServerHandle()
        let server = ServeRun(
            configuration: configuration, log: log, models: try ModelRegistry(directory: configuration.modelsDirectory),
            metrics: SluiceMetrics(), onListening: { port in await handle.listening(on: port) },
            onServiceGroup: { group in await handle.running(group) })
        let completions = CompletionClock(types: ["object.finalized"], completion: Self.predictionStored)
        let serving = Task { try await server.run() }
        let following = Task { try await completions.follow(log) }
        let figures: [BenchFigure]
        do {
            let client = BenchHTTPClient(group: MultiThreadedEventLoopGroup.singleton, port: try await handle.port())
            do {
                figures = try await measure(HTTPUploader(client: client), completions: completions)
            } catch {
                await client.shutdown()
                throw error
            }
            // The client closes first, so the server's shutdown finds no connection to wait for.
            await client.shutdown()
        } catch {
            await handle.stop(serving)
            following.cancel()
            await log.close()
            throw error
        }
        await handle.stop(serving)
        following.cancel()
        await log.close()
        BenchFigure.report(figures, json: json)
    }

    /// The upload whose prediction an `object.finalized` in `predictions` stores.
    @Sendable static func predictionStored(_ event: RecordedEvent) -> String? {
        let stream = event.stream.rawValue
        guard event.type == "object.finalized", stream.hasPrefix("object/predictions/"),
            stream.hasSuffix(".prediction.json")
        else { return nil }
        return String(stream.dropFirst("object/predictions/".count).dropLast(".prediction.json".count))
    }

    private func measure(_ uploader: HTTPUploader, completions: CompletionClock) async throws -> [BenchFigure] {
        let phases = UploadPhases(
            uploaders: clients, uploads: uploads, pacedUploads: pacedUploads, pacedRate: pacedRate,
            throughput: ("uploads_per_s", "uploads/s", 2_000), latencyTargets: (nil, 50), label: "bench http")
        var figures = try await phases.run(completions: completions) { key in try await uploader.upload(key) }
        if let baseline = baselinePipelinesPerS, let rate = figures.first(where: { $0.name == "uploads_per_s" }) {
            figures.append(BenchFigure(name: "http_over_in_process_ratio", value: rate.value / baseline, unit: "ratio"))
        }
        return figures
    }
}

/// Uploads one sample over the Storage JSON API's media upload.
struct HTTPUploader: Sendable {
    let client: BenchHTTPClient
    /// One 8x8 image, as a client of the Vertex endpoint would upload it.
    static let sample: ByteBuffer = {
        let pixels = (0..<64).map { String(Double($0 % 17) / 16) }.joined(separator: ",")
        return ByteBuffer(string: "{\"instances\": [[\(pixels)]]}")
    }()

    /// Uploads `name` and returns once it is acknowledged.
    func upload(_ name: String) async throws {
        let status = try await client.post(
            "/upload/storage/v1/b/uploads/o?uploadType=media&name="
                + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name),
            contentType: "application/json", body: Self.sample)
        guard status == .ok else {
            throw SluiceError(.internalFailure, "upload of \(name) answered HTTP \(status.code)")
        }
    }
}

/// The in-process server: the port it bound, once it has, and its service group, to shut it
/// down gracefully as SIGTERM would (cancelling it instead logs errors for its open channels).
actor ServerHandle {
    private var bound: Int?
    private var group: ServiceGroup?

    func listening(on port: Int) { bound = port }

    func running(_ group: ServiceGroup) { self.group = group }

    func port() async throws -> Int {
        for _ in 0..<3_000 {
            if let bound { return bound }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw SluiceError(.unavailable, "the server did not start within 30 s")
    }

    /// Shuts the server down gracefully and waits for `serving`, its task, to end.
    func stop(_ serving: Task<Void, any Error>) async {
        if let group {
            await group.triggerGracefulShutdown()
        } else {
            serving.cancel()
        }
        _ = await serving.result
    }
}
