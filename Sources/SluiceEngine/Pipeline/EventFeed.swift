public import SluiceCore
public import SluiceLog

/// Hands every event of some types (that matches the predicates) to a consumer, from a position (the start of the log by
/// default) and then live, without gaps: the catch-up reads up to the head it saw, and the tail
/// continues after it.
public enum EventFeed {
    public static func follow(
        _ log: any EventLog,
        types: [String],
        where predicates: [FieldPredicate] = [],
        after start: Int64 = 0,
        _ handle: (RecordedEvent) async throws -> Void
    ) async throws {
        let head = try await log.headPosition()
        var after = start
        catchUp: while true {
            let page = try await log.query(
                EventQuery(types: types, predicates: predicates, after: after, limit: 1_000))
            for event in page.events {
                guard event.position <= head else { break catchUp }
                try await handle(event)
            }
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        for try await event in log.tail(after: max(head, start), types: types, where: predicates) {
            try await handle(event)
        }
    }
}
