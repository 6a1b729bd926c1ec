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

    /// `writers` tasks each append to their own streams with an exact expected version, each
    /// keeping up to `inFlight` appends outstanding.
    func measureAppends(total: Int, writers: Int, inFlight: Int) async throws -> Measurement {
        let appendsPerWriter = max(1, total / (writers * eventsPerAppend))
        let started = ContinuousClock.now
        let latency = try await withThrowingTaskGroup(of: LatencySample.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    try await writerLoop(
                        writer: writer, writers: writers, appends: appendsPerWriter, inFlight: inFlight)
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

    /// One writer: its streams are dealt to `inFlight` lanes, and each lane appends to its own
    /// streams one append at a time. So the writer has up to `inFlight` appends outstanding, no
    /// stream ever has two, and each append can expect the exact version its lane last saw.
    private func writerLoop(writer: Int, writers: Int, appends: Int, inFlight: Int) async throws -> LatencySample {
        let owned = Array(stride(from: writer, to: streams, by: writers))
        let lanes = max(1, min(inFlight, owned.count, appends))
        return try await withThrowingTaskGroup(of: LatencySample.self) { group in
            for lane in 0..<lanes {
                let laneStreams = stride(from: lane, to: owned.count, by: lanes).map { owned[$0] }
                let indexes = Array(stride(from: lane, to: appends, by: lanes))
                group.addTask { try await laneLoop(writer: writer, streams: laneStreams, indexes: indexes) }
            }
            var merged = LatencySample()
            for try await sample in group { merged.merge(sample) }
            return merged
        }
    }

    /// Appends the writer's appends number `indexes` round-robin over `streams`, timing each from
    /// the call to the durable acknowledgement.
    private func laneLoop(writer: Int, streams: [Int], indexes: [Int]) async throws -> LatencySample {
        var versions: [Int64] = []
        for stream in streams { versions.append(try await log.streamVersion(Self.streamName(stream))) }
        var sample = LatencySample()
        for (count, index) in indexes.enumerated() {
            let slot = count % streams.count
            let metadata = EventMetadata(correlationID: "journey-\(writer)-\(index / 10)", principal: "bench")
            let batch = (0..<eventsPerAppend).map { offset in
                NewEvent(type: "bench.recorded", data: Self.data(index * eventsPerAppend + offset), metadata: metadata)
            }
            let started = ContinuousClock.now
            let result = try await log.append(
                batch, to: Self.streamName(streams[slot]), expectedVersion: .exact(versions[slot]))
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
