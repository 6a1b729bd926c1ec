import SluiceCore

/// What the writer keeps in memory between transactions: the chain head, the tiers' marks (the
/// settled mark, and which recent table takes appends), the settle round under way, and caches of interned ids and stream versions. All of it can be
/// reloaded from the database, and is after any failed transaction or a commit by another process
/// (a round then starts over: copying is idempotent, see ``LogWriter/settleStep(minimumBacklog:)``).
struct WriterState {
    var headPosition: Int64 = 0
    /// Where the tiers meet; the writer moves the marks as it appends and settles.
    var marks = TierMarks(aFirst: nil, bFirst: nil, head: 0)
    /// The settle round under way, if any.
    var round: SettleRound?
    var headHash: [UInt8] = EventHasher.genesis
    var lastTimestamp: Int64 = 0
    var streamIDs: [ExactString: Int64] = [:]
    var streamVersions: [Int64: Int64] = [:]
    var typeIDs: [ExactString: Int64] = [:]
    var correlationIDs: [ExactString: Int64] = [:]
    /// `PRAGMA data_version` after our last look: it changes when another connection commits.
    var dataVersion: Int64 = -1

    /// Above this many entries a cache is dropped, bounding memory on logs with millions of streams.
    static let cacheLimit = 200_000

    /// Forgets everything that a reload re-reads.
    mutating func invalidate() {
        self = WriterState()
    }

    mutating func trimCaches() {
        if streamIDs.count > Self.cacheLimit {
            streamIDs.removeAll()
            streamVersions.removeAll()
        }
        if correlationIDs.count > Self.cacheLimit { correlationIDs.removeAll() }
        if typeIDs.count > Self.cacheLimit { typeIDs.removeAll() }
    }
}
