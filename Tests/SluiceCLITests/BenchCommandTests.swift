import Foundation
import SluiceTesting
import Testing

/// The benchmarks are how the throughput targets are measured, so each must finish every upload
/// it starts and report it in the figure convention.
@Suite("The benchmarks finish what they start and report it as figures")
struct BenchCommandTests {
    /// Each benchmark with what sets its concurrency, and the name of its throughput figure.
    static let benchmarks: [(command: String, concurrency: String, throughput: String)] = [
        ("http", "--clients", "uploads_per_s"),
        ("pipeline", "--uploaders", "pipelines_per_s"),
    ]

    @Test(
        "a small run completes every upload in both phases and reports throughput and latency",
        .timeLimit(.minutes(2)), arguments: benchmarks)
    func smallRunCompletesEveryUpload(_ benchmark: (command: String, concurrency: String, throughput: String))
        async throws
    {
        let (figures, stderr) = try await Self.run([
            "bench", benchmark.command, "--uploads", "48", benchmark.concurrency, "8", "--paced-uploads", "16",
        ])
        #expect(figures["completed_pipelines"] == 48)
        #expect(figures["completed_paced_pipelines"] == 16)
        #expect((figures["saturated_cpu_per_pipeline_ms"] ?? 0) > 0)
        #expect((figures[benchmark.throughput] ?? 0) > 0)
        #expect((figures["latency_p99_ms"] ?? 0) >= (figures["latency_p50_ms"] ?? .infinity))
        if benchmark.command == "pipeline" { #expect((figures["wal_pages_per_pipeline"] ?? 0) > 0) }
        // Shut down gracefully: no error logged for connections or channels at the end.
        #expect(!stderr.contains(" error "), "\(stderr)")
    }

    @Test("a small log benchmark appends every event it plans and reports what they wrote", .timeLimit(.minutes(2)))
    func smallLogRunReportsItsFigures() async throws {
        let (figures, _) = try await Self.run([
            "bench", "log", "--events", "2048", "--prefill", "3000", "--streams", "64", "--writers", "8",
        ])
        #expect(figures["log_size_events"].map { Int($0) } == 3_000 + 2_048)
        #expect((figures["append_events_per_s"] ?? 0) > 0)
        #expect((figures["raw_insert_events_per_s"] ?? 0) > 0)
        // Every event writes at least its share of a page, and far less than a page of its own
        // in every index.
        let pages = figures["wal_pages_per_event"] ?? 0
        #expect(pages > 0.01 && pages < 5, "\(pages) WAL pages per event")
    }

    /// Runs a benchmark with `--json` and returns its figures by name and what it logged.
    static func run(_ arguments: [String]) async throws -> (figures: [String: Double], stderr: String) {
        let directory = ScratchSpace.url("sluice-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try await SluiceBinary.locate().run(arguments + ["--json", "--directory", directory.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        var figures: [String: Double] = [:]
        for line in outcome.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let name = object?["name"] as? String, let value = object?["value"] as? Double { figures[name] = value }
        }
        return (figures, outcome.stderr)
    }
}
