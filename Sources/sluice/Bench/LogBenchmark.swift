import ArgumentParser
import Foundation
import SluiceCore
import SluiceLog
import SluiceLogSQLite

/// `sluice bench log`: append throughput and latency under many concurrent writers on a grown
/// log, against raw inserts on the same disk, plus stream replay and correlation query times.
struct LogBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Benchmark the event log: appends, replay and queries."
    )

    @Option(help: "Events appended in the measured phase.") var events: Int = 200_000
    @Option(help: "Events written before measuring, so the table is grown.") var prefill: Int = 1_000_000
    @Option(help: "Streams the events interleave over.") var streams: Int = 1_000
    @Option(help: "Concurrent writer tasks.") var writers: Int = 64
    @Option(help: "Appends each writer keeps outstanding, each to a different one of its streams.")
    var inFlightPerWriter: Int = 4
    @Option(help: "Events per append call.") var eventsPerAppend: Int = 1
    @Option(help: "WAL pages after which a background checkpoint starts.") var walAutocheckpointPages: Int = 8_192
    @Option(help: "Unsettled events at which the writer settles while appending (also the round size).")
    var settleThreshold: Int = SQLiteEventLog.Configuration.Settling().threshold
    @Option(help: "Events one settle transaction copies.")
    var settleStep: Int = SQLiteEventLog.Configuration.Settling().stepEvents
    @Option(help: "The writer connection's page cache, in MiB.")
    var writerCacheMib: Int = SQLiteEventLog.Configuration(path: "").writerCacheKiB / 1_024
    @Option(help: "Appends in a batch from which the WAL's fsync runs on the syncer thread (synchronous=full).")
    var offThreadSyncAppends: Int = SQLiteEventLog.Configuration(path: "").offThreadSyncAppends
    @Option(help: "Replays and correlation queries timed, for their medians.") var repeats: Int = 50
    @Option(help: "Commit durability.") var synchronous: SQLiteEventLog.Configuration.Synchronous = .full
    @Option(help: "Directory for the benchmark databases (default: a new temporary one).") var directory: String?
    @Flag(help: "Print one JSON object per figure.") var json = false

    func validate() throws {
        guard events > 0, prefill >= 0, streams > 0, writers > 0, eventsPerAppend > 0, inFlightPerWriter > 0,
            repeats > 0
        else {
            throw ValidationError(
                "--events, --streams, --writers, --events-per-append, --in-flight-per-writer and --repeats must be positive"
            )
        }
        guard streams >= writers else { throw ValidationError("--streams must be at least --writers") }
    }

    func run() async throws {
        let folder = directory ?? NSTemporaryDirectory() + "sluice-bench-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }

        var configuration = SQLiteEventLog.Configuration(path: folder + "/log.db")
        configuration.synchronous = synchronous
        configuration.walAutocheckpointPages = walAutocheckpointPages
        configuration.writerCacheKiB = max(2, writerCacheMib) * 1_024
        configuration.settling.threshold = max(1, settleThreshold)
        configuration.settling.roundEvents = max(1, settleThreshold)
        configuration.settling.stepEvents = max(1, settleStep)
        configuration.offThreadSyncAppends = max(1, offThreadSyncAppends)
        configuration.projections = ProjectionCatalog.all
        let log = try await SQLiteEventLog.open(configuration)
        let workload = LogWorkload(log: log, streams: streams, eventsPerAppend: eventsPerAppend)

        progress("prefilling \(prefill) events over \(streams) streams")
        try await workload.prefill(prefill)
        try await log.settle()
        progress("appending \(events) events with \(writers) writers, \(inFlightPerWriter) in flight each")
        let before = log.statistics.snapshot
        let measured = try await workload.measureAppends(
            total: events, writers: writers, inFlight: inFlightPerWriter)
        let after = log.statistics.snapshot
        // What the appends left unsettled is part of their cost: settle it before reading, and
        // report how long that took.
        let settleStarted = ContinuousClock.now
        try await log.settle()
        let settleSeconds = (ContinuousClock.now - settleStarted).seconds
        let appendSeconds = Double(after.events - before.events) / measured.eventsPerSecond
        let replayMilliseconds = try await workload.medianMilliseconds(repeats: repeats) {
            _ = try await log.readStream(StreamName(unchecked: "bench/1"), from: 1, limit: 1_000)
        }
        let correlation = measured.sampleCorrelation
        let queryMilliseconds = try await workload.medianMilliseconds(repeats: repeats) {
            _ = try await log.query(EventQuery(correlationID: correlation, limit: 1_000))
        }
        let head = try await log.headPosition()
        await log.close()

        progress("raw inserts of \(events) rows into a bare table")
        let raw = try RawInsertBaseline.measure(
            path: folder + "/raw.db",
            rows: events,
            synchronous: synchronous,
            makeData: LogWorkload.data
        )
        let batches = after.commits - before.commits
        let commitSeconds = Double(after.commitNanoseconds - before.commitNanoseconds) / 1e9
        BenchFigure.report(
            [
                BenchFigure(
                    name: "append_events_per_s", value: measured.eventsPerSecond, unit: "events/s", baseline: raw),
                BenchFigure(
                    name: "append_p50_ms", value: measured.latency.percentileMilliseconds(50), unit: "ms", baseline: 5),
                BenchFigure(
                    name: "append_p99_ms", value: measured.latency.percentileMilliseconds(99), unit: "ms", baseline: 5),
                BenchFigure(
                    name: "append_events_per_s_including_settle",
                    value: Double(after.events - before.events) / (appendSeconds + settleSeconds),
                    unit: "events/s", baseline: raw),
                BenchFigure(name: "settle_backlog_ms", value: settleSeconds * 1_000, unit: "ms"),
                BenchFigure(name: "raw_insert_events_per_s", value: raw, unit: "events/s"),
                BenchFigure(name: "stream_replay_1000_ms", value: replayMilliseconds, unit: "ms", baseline: 0.5),
                BenchFigure(name: "correlation_query_ms", value: queryMilliseconds, unit: "ms", baseline: 5),
                BenchFigure(
                    name: "group_commit_mean_batch_appends",
                    value: batches == 0 ? 0 : Double(after.appends - before.appends) / Double(batches),
                    unit: "appends"
                ),
                BenchFigure(
                    name: "group_commit_mean_batch_events",
                    value: batches == 0 ? 0 : Double(after.events - before.events) / Double(batches),
                    unit: "events"),
                BenchFigure(
                    name: "group_commit_mean_ms",
                    value: batches == 0 ? 0 : commitSeconds * 1_000 / Double(batches), unit: "ms"),
                // The shares of the measured phase the writer spent inside append transactions and
                // settling between them: summing near 1, the writer is the bottleneck; well below,
                // the callers are.
                BenchFigure(name: "writer_commit_busy_ratio", value: commitSeconds / appendSeconds, unit: "ratio"),
                BenchFigure(
                    name: "writer_settle_ratio",
                    value: Double(after.settleNanoseconds - before.settleNanoseconds) / 1e9 / appendSeconds,
                    unit: "ratio"),
                // The fsyncs the syncer thread ran for large batches, which their appends waited for.
                BenchFigure(
                    name: "syncer_fsync_mean_ms",
                    value: after.syncs == before.syncs
                        ? 0
                        : Double(after.syncNanoseconds - before.syncNanoseconds) / 1e6
                            / Double(after.syncs - before.syncs),
                    unit: "ms"),
                BenchFigure(name: "in_flight_per_writer", value: Double(inFlightPerWriter), unit: "appends"),
                // What the appends (and the settling between them) wrote to the WAL per event: the
                // write volume behind the throughput, and a figure the machine's speed does not move.
                BenchFigure(
                    name: "wal_pages_per_event",
                    value: Double(after.walPages - before.walPages) / Double(max(1, after.events - before.events)),
                    unit: "pages"),
                BenchFigure(name: "log_size_events", value: Double(head), unit: "events"),
            ],
            json: json
        )
    }

    private func progress(_ text: String) {
        StandardOutput.errorLine("bench log: " + text)
    }
}
