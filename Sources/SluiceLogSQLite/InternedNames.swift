import SluiceCore
import Synchronization

/// The interned ids this process's writer has committed, shared with its readers.
///
/// Nearly every event of a pipeline names a stream and a correlation id that are new, so a reader
/// decoding it, or reading the stream, missed its own caches and looked the id up in SQL: a B-tree
/// descent through pages the writer had just changed, read back from the WAL. The writer knows
/// every name it interned; once the transaction that interned it has committed, the pairing can
/// never change, so readers may take it from here. A name another process interned is not here,
/// and a reader looks it up as before.
final class InternedNames: Sendable {
    /// Names kept of each kind at most; past it that kind starts over.
    static let limit = 200_000

    /// Names interned by one transaction, published only once it has committed.
    struct Pending {
        var streams: [(name: String, id: Int64)] = []
        var types: [(name: String, id: Int64)] = []
        var correlations: [(value: String, id: Int64)] = []

        var isEmpty: Bool { streams.isEmpty && types.isEmpty && correlations.isEmpty }
    }

    private struct Tables {
        var streamIDs: [ExactString: Int64] = [:]
        var streamNames: [Int64: StreamName] = [:]
        var typeNames: [Int64: String] = [:]
        var correlations: [Int64: String] = [:]
    }

    private let tables = Mutex(Tables())

    func streamID(_ name: String) -> Int64? { tables.withLock { $0.streamIDs[ExactString(name)] } }
    func streamName(_ id: Int64) -> StreamName? { tables.withLock { $0.streamNames[id] } }
    func typeName(_ id: Int64) -> String? { tables.withLock { $0.typeNames[id] } }
    func correlation(_ id: Int64) -> String? { tables.withLock { $0.correlations[id] } }

    /// Makes a committed transaction's names known to readers.
    func publish(_ pending: Pending) {
        guard !pending.isEmpty else { return }
        tables.withLock { tables in
            if tables.streamIDs.count + pending.streams.count > Self.limit {
                tables.streamIDs.removeAll(keepingCapacity: true)
                tables.streamNames.removeAll(keepingCapacity: true)
            }
            for (name, id) in pending.streams {
                tables.streamIDs[ExactString(name)] = id
                tables.streamNames[id] = StreamName(unchecked: name)
            }
            if tables.typeNames.count + pending.types.count > Self.limit { tables.typeNames.removeAll() }
            for (name, id) in pending.types { tables.typeNames[id] = name }
            if tables.correlations.count + pending.correlations.count > Self.limit {
                tables.correlations.removeAll(keepingCapacity: true)
            }
            for (value, id) in pending.correlations { tables.correlations[id] = value }
        }
    }
}
