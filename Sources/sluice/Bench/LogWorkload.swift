import Foundation
import SluiceCore
import SluiceLog
import SluiceLogSQLite

/// The event shapes and writer tasks the log benchmark drives.
struct LogWorkload: Sendable {
    let log: SQLiteEventLog
    let streams: Int
    let eventsPerAppend: Int

    /// What the measured phase produced.
    struct Measurement: Sendable {
        var eventsPerSecond: Double
        var latency: LatencySample
        var sampleCorrelation: String
    }

    /// Event data shaped like an object-finalized notification (about 150 bytes).
    static func data(_ index: Int) -> String {
        "{\"bucket\":\"uploads\",\"objectId\":\"images/img-\(index).png\",\"size\":\(1_000 + index % 50_000),"
            + "\"contentType\":\"image/png\",\"md5Hash\":\"1B2M2Y8AsgTpgAmY7PhCfg==\",\"generation\":\(index)}"
    }

    static func streamName(_ index: Int) -> StreamName { StreamName(unchecked: "bench/\(index)") }

    /// Appends `count` events in appends of 100, round-robin over the streams.
    func prefill(_ count: Int) async throws {
        let tasks = 8
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var written = task * 100
                    var stream = task
                    while written < count {
                        let size = min(100, count - written)
                        let batch = (0..<size).map { offset in
                            NewEvent(
                                type: "bench.prefilled", data: Self.data(written + offset),
                                metadata: EventMetadata(correlationID: "prefill-\((written + offset) / 10)"))
                        }
                        _ = try await log.append(batch, to: Self.streamName(stream % streams))
                        written += tasks * 100
                        stream += tasks
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// `writers` tasks each append to their own streams with an exact expected version.
    func measureAppends(total: Int, writers: Int) async throws -> Measurement {
        let appendsPerWriter = max(1, total / (writers * eventsPerAppend))
        let started = ContinuousClock.now
        let latency = try await withThrowingTaskGroup(of: LatencySample.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    try await writerLoop(writer: writer, writers: writers, appends: appendsPerWriter)
                }
            }
            var merged = LatencySample()
            for try await sample in group { merged.merge(sample) }
            return merged
        }
        let elapsed = ContinuousClock.now - started
        let written = appendsPerWriter * writers * eventsPerAppend
        return Measurement(
            eventsPerSecond: Double(written) / elapsed.seconds,
            latency: latency,
            sampleCorrelation: "journey-\(writers / 2)-\(appendsPerWriter / 20)"
        )
    }

    private func writerLoop(writer: Int, writers: Int, appends: Int) async throws -> LatencySample {
        let owned = Array(stride(from: writer, to: streams, by: writers))
        var versions: [Int64] = []
        for stream in owned { versions.append(try await log.streamVersion(Self.streamName(stream))) }
        var sample = LatencySample()
        for index in 0..<appends {
            let slot = index % owned.count
            let metadata = EventMetadata(correlationID: "journey-\(writer)-\(index / 10)", principal: "bench")
            let batch = (0..<eventsPerAppend).map { offset in
                NewEvent(type: "bench.recorded", data: Self.data(index * eventsPerAppend + offset), metadata: metadata)
            }
            let started = ContinuousClock.now
            let result = try await log.append(
                batch, to: Self.streamName(owned[slot]), expectedVersion: .exact(versions[slot]))
            sample.record(ContinuousClock.now - started)
            versions[slot] = result.lastVersion
        }
        return sample
    }

    /// The median wall time of `repeats` runs of `body`, in milliseconds.
    func medianMilliseconds(repeats: Int, _ body: () async throws -> Void) async throws -> Double {
        var sample = LatencySample()
        for _ in 0..<repeats {
            let started = ContinuousClock.now
            try await body()
            sample.record(ContinuousClock.now - started)
        }
        return sample.percentileMilliseconds(50)
    }
}
