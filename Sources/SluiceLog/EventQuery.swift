public import SluiceCore

/// An audit query over the log. Every set filter must hold (they are joined by AND).
///
/// Results are ordered by position, oldest first; page with `after` set to the previous page's
/// cursor. With `newestFirst` they come newest first; page with `before` set to the cursor.
public struct EventQuery: Sendable, Hashable {
    /// The largest page a query may ask for.
    public static let maximumLimit = 10_000
    /// The most `where` predicates one query may hold: enough for any audit, and far inside the
    /// expression depth SQLite accepts (a few thousand ANDed terms are refused there as too deep).
    public static let maximumPredicates = 64
    /// The most event types one query may name.
    public static let maximumTypes = 256

    /// Only events of exactly this stream.
    public var stream: StreamName?
    /// Only events of streams whose name starts with this text.
    public var streamPrefix: String?
    /// Only events of one of these types (empty: any type).
    public var types: [String]
    /// Only events recorded at or after this time, in microseconds since the Unix epoch.
    public var since: Int64?
    /// Only events recorded before this time, in microseconds since the Unix epoch.
    public var until: Int64?
    /// Only events with this correlation id.
    public var correlationID: String?
    /// Conditions on fields of the data or metadata.
    public var predicates: [FieldPredicate]
    /// Only events after this position: the cursor of the previous page.
    public var after: Int64
    /// At most this many events.
    public var limit: Int
    /// Newest events first (as Google lists executions), paged with `before`.
    public var newestFirst: Bool
    /// With `newestFirst`: only events before this position, the cursor of the previous page.
    public var before: Int64?

    /// Creates a query; with no filters it matches every event.
    public init(
        stream: StreamName? = nil,
        streamPrefix: String? = nil,
        types: [String] = [],
        since: Int64? = nil,
        until: Int64? = nil,
        correlationID: String? = nil,
        predicates: [FieldPredicate] = [],
        after: Int64 = 0,
        limit: Int = 100,
        newestFirst: Bool = false,
        before: Int64? = nil
    ) {
        self.stream = stream
        self.streamPrefix = streamPrefix
        self.types = types
        self.since = since
        self.until = until
        self.correlationID = correlationID
        self.predicates = predicates
        self.after = after
        self.limit = limit
        self.newestFirst = newestFirst
        self.before = before
    }

    /// Checks limits that every implementation enforces the same way.
    public func validated() throws(SluiceError) -> EventQuery {
        guard limit > 0, limit <= Self.maximumLimit else {
            throw SluiceError(
                .invalidArgument, "a query limit must be between 1 and \(Self.maximumLimit), not \(limit)")
        }
        guard after >= 0, (before ?? 0) >= 0 else {
            throw SluiceError(.invalidArgument, "a query cursor must not be negative")
        }
        guard predicates.count <= Self.maximumPredicates else {
            throw SluiceError(
                .invalidArgument,
                "a query may hold at most \(Self.maximumPredicates) where predicates, not \(predicates.count)")
        }
        guard types.count <= Self.maximumTypes else {
            throw SluiceError(
                .invalidArgument, "a query may name at most \(Self.maximumTypes) event types, not \(types.count)")
        }
        return self
    }
}

/// One page of query results.
public struct EventPage: Sendable, Hashable {
    /// The events, ordered by position.
    public var events: [RecordedEvent]
    /// Pass as `after` to get the next page; nil when this page is the last.
    public var nextCursor: Int64?

    /// Creates a page.
    public init(events: [RecordedEvent], nextCursor: Int64?) {
        self.events = events
        self.nextCursor = nextCursor
    }
}
