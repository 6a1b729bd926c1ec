import Foundation

/// The two phases both pipeline benchmarks run, whatever carries the uploads: uploaders as fast
/// as they go give the throughput; then uploads on a fixed schedule at half that rate, each on
/// its own task so a slow one delays no later one (no coordinated omission), give the latency.
/// Each upload has a key (also its object name); `completions` times it from the call to its
/// completion.
struct UploadPhases {
    var uploaders: Int
    var uploads: Int
    var pacedUploads: Int
    /// The paced phase's rate; nil for half the saturated throughput.
    var pacedRate: Double?
    /// What the throughput figure is called, its unit and target.
    var throughput: (name: String, unit: String, target: Double)
    /// The latency targets (p50, p99) at half the rate; `nil` when there is none.
    var latencyTargets: (p50: Double?, p99: Double?)
    let label: String

    /// Runs both phases; `upload` uploads one key and returns when it is acknowledged.
    func run(
        completions: CompletionClock, upload: @escaping @Sendable (String) async throws -> Void
    ) async throws -> [BenchFigure] {
        let perUploader = max(1, uploads / uploaders)
        let total = perUploader * uploaders
        StandardOutput.errorLine("\(label): saturated phase: \(total) uploads from \(uploaders) uploaders")
        let started = ContinuousClock.now
        let cpuStarted = ProcessCPUTime.now
        let acknowledged = try await withThrowingTaskGroup(of: LatencySample.self) { group in
            for uploader in 0..<uploaders {
                group.addTask {
                    var latencies = LatencySample()
                    for index in 0..<perUploader {
                        let key = "bench/\(uploader)/\(index).json"
                        let begin = ContinuousClock.now
                        await completions.started(key, at: begin)
                        try await upload(key)
                        latencies.record(ContinuousClock.now - begin)
                    }
                    return latencies
                }
            }
            var merged = LatencySample()
            for try await part in group { merged.merge(part) }
            return merged
        }
        let saturated = await completions.waitForAll(total, timeout: .seconds(600))
        let rate = Double(saturated.count) / (ContinuousClock.now - started).seconds
        let cpuMilliseconds = (ProcessCPUTime.now - cpuStarted).seconds * 1_000
        var figures = [
            BenchFigure(name: throughput.name, value: rate, unit: throughput.unit, baseline: throughput.target),
            BenchFigure(
                name: "saturated_latency_p50_ms", value: saturated.sample.percentileMilliseconds(50), unit: "ms"),
            BenchFigure(
                name: "saturated_latency_p99_ms", value: saturated.sample.percentileMilliseconds(99), unit: "ms"),
            BenchFigure(
                name: "saturated_upload_ack_p50_ms", value: acknowledged.percentileMilliseconds(50), unit: "ms"),
            BenchFigure(
                name: "saturated_upload_ack_p99_ms", value: acknowledged.percentileMilliseconds(99), unit: "ms"),
            BenchFigure(name: "completed_pipelines", value: Double(saturated.count), unit: "pipelines"),
            // Every thread of the process, the uploaders (and for HTTP the client) included.
            BenchFigure(
                name: "saturated_cpu_per_pipeline_ms", value: cpuMilliseconds / Double(max(1, saturated.count)),
                unit: "ms"),
        ]
        guard pacedUploads > 0, rate > 0 else { return figures }
        let pacedRate = self.pacedRate ?? rate / 2
        StandardOutput.errorLine(String(format: "\(label): paced phase: %d uploads at %.0f/s", pacedUploads, pacedRate))
        await completions.reset()
        let begin = ContinuousClock.now
        // How long the paced uploads waited for their acknowledgement: the part of the latency
        // the client sees before the pipeline takes over.
        let pacedAcknowledged = try await withThrowingTaskGroup(of: Duration.self) { group in
            for index in 0..<pacedUploads {
                let due = begin + .nanoseconds(Int64(Double(index) / pacedRate * 1e9))
                if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
                group.addTask {
                    let key = "bench/paced/\(index).json"
                    let start = ContinuousClock.now
                    await completions.started(key, at: start)
                    try await upload(key)
                    return ContinuousClock.now - start
                }
            }
            var sample = LatencySample()
            for try await duration in group { sample.record(duration) }
            return sample
        }
        let paced = await completions.waitForAll(pacedUploads, timeout: .seconds(600))
        figures.insert(
            contentsOf: [
                BenchFigure(
                    name: "latency_p50_ms", value: paced.sample.percentileMilliseconds(50), unit: "ms",
                    baseline: latencyTargets.p50),
                BenchFigure(
                    name: "latency_p99_ms", value: paced.sample.percentileMilliseconds(99), unit: "ms",
                    baseline: latencyTargets.p99),
                BenchFigure(name: "paced_rate_per_s", value: pacedRate, unit: "uploads/s"),
                BenchFigure(
                    name: "paced_upload_ack_p50_ms", value: pacedAcknowledged.percentileMilliseconds(50), unit: "ms"),
                BenchFigure(
                    name: "paced_upload_ack_p99_ms", value: pacedAcknowledged.percentileMilliseconds(99), unit: "ms"),
            ], at: 1)
        figures.append(BenchFigure(name: "completed_paced_pipelines", value: Double(paced.count), unit: "pipelines"))
        return figures
    }
}
