import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceTesting
import Synchronization

/// A log that counts what its readers read: the function delivery records (`delivery.acked`,
/// `delivery.failed`) its queries return, to show what a restarted dispatcher reads, and the
/// `readStream` and `streamVersion` calls per stream, to show which reads a cache saves.
final class ReadCountingLog: DelegatingEventLog {
    let base: any EventLog
    private let counted = Mutex(0)
    private let streamReadCounts = Mutex<[StreamName: Int]>([:])
    private let versionReadCounts = Mutex<[StreamName: Int]>([:])

    init(_ base: any EventLog) {
        self.base = base
    }

    /// Delivery records returned by queries so far.
    var deliveryRecordsRead: Int { counted.withLock { $0 } }

    /// `readStream` calls on `stream` so far.
    func streamReads(of stream: StreamName) -> Int { streamReadCounts.withLock { $0[stream, default: 0] } }

    /// `streamVersion` calls on `stream` so far.
    func versionReads(of stream: StreamName) -> Int { versionReadCounts.withLock { $0[stream, default: 0] } }

    func query(_ query: EventQuery) async throws(SluiceError) -> EventPage {
        let page = try await base.query(query)
        let records = page.events.filter {
            $0.type == FunctionDelivery.TypeName.acked || $0.type == FunctionDelivery.TypeName.failed
        }
        counted.withLock { $0 += records.count }
        return page
    }

    func readStream(_ stream: StreamName, from version: Int64, limit: Int) async throws(SluiceError) -> [RecordedEvent]
    {
        streamReadCounts.withLock { $0[stream, default: 0] += 1 }
        return try await base.readStream(stream, from: version, limit: limit)
    }

    func streamVersion(_ stream: StreamName) async throws(SluiceError) -> Int64 {
        versionReadCounts.withLock { $0[stream, default: 0] += 1 }
        return try await base.streamVersion(stream)
    }
}
