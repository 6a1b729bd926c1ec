import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceLog

/// The Executions list: `filter` and `orderBy` applied before paging, so each page holds
/// `pageSize` executions that pass the filter, not a page of executions with some dropped.
extension ExecutionsRoutes {
    /// One execution found by a list, with the log position of its start.
    private struct Found {
        let position: Int64
        let listing: ExecutionListing
        let history: ExecutionHistory
    }

    func list(_ request: Request, workflow: String, in scope: (project: String, location: String)) async throws
        -> Response
    {
        let parameters = request.uri.queryParameters
        let pageSize = try ListPaging.pageSize(parameters.get("pageSize"))
        let token = try ListPaging.pageToken(parameters.get("pageToken"))
        let filter = try ExecutionFilter.parse(parameters.get("filter"))
        let order = try ExecutionOrder.parse(parameters.get("orderBy"))
        // Executions of a deleted workflow of the same name are not the workflow's: Google
        // deletes them with it. Revisions number on across a delete, so a bound on the revision
        // leaves them out in the query itself and paging stays exact.
        let deleted = (try? await catalog.deletedThrough(of: workflow)) ?? 0
        let (found, nextToken): ([Found], Int64?)
        if order.followsCreation {
            (found, nextToken) = try await pageInCreationOrder(
                workflow, deletedThrough: deleted, filter: filter, descending: order.keys[0].descending,
                size: pageSize, token: token)
        } else {
            (found, nextToken) = try await pageSorted(
                workflow, deletedThrough: deleted, filter: filter, order: order, size: pageSize, token: token)
        }
        var executions: [JSONField] = []
        for execution in found {
            executions.append(
                .object(
                    try json(
                        execution.listing.id, history: execution.history, project: scope.project,
                        location: scope.location)))
        }
        var body = JSONObject(["executions": .array(executions)])
        if let nextToken { body.set("nextPageToken", .string(String(nextToken))) }
        return JSONObject.response(body)
    }

    /// Walks the workflow's starts in log order from the token (a log position), keeping those
    /// that pass the filter, until the page is full. The next token is the position of the last
    /// start looked at, so executions created meanwhile neither shift nor repeat a page.
    private func pageInCreationOrder(
        _ workflow: String, deletedThrough: Int64, filter: ExecutionFilter?, descending: Bool, size: Int,
        token: Int64?
    ) async throws -> ([Found], Int64?) {
        var found: [Found] = []
        var cursor = token
        // Unfiltered, one query of a page is exact; filtered, larger reads save round trips.
        let batch = filter == nil ? size : max(size, 100)
        while true {
            let page = try await starts(
                of: workflow, deletedThrough: deletedThrough, descending: descending, cursor: cursor, limit: batch)
            for (index, event) in page.events.enumerated() {
                let execution = try await self.found(event, workflow: workflow, deletedThrough: deletedThrough)
                if filter?.matches(execution.listing) ?? true { found.append(execution) }
                if found.count == size {
                    let last = index == page.events.count - 1 && page.nextCursor == nil
                    return (found, last ? nil : event.position)
                }
            }
            guard let next = page.nextCursor else { return (found, nil) }
            cursor = next
        }
    }

    /// Reads every start of the workflow, keeps those that pass the filter and sorts them; the
    /// token is an offset into that order. Used for orders the log cannot page in (end time).
    private func pageSorted(
        _ workflow: String, deletedThrough: Int64, filter: ExecutionFilter?, order: ExecutionOrder, size: Int,
        token: Int64?
    ) async throws -> ([Found], Int64?) {
        var all: [Found] = []
        var cursor: Int64?
        repeat {
            let page = try await starts(
                of: workflow, deletedThrough: deletedThrough, descending: true, cursor: cursor,
                limit: EventQuery.maximumLimit)
            for event in page.events {
                let execution = try await found(event, workflow: workflow, deletedThrough: deletedThrough)
                if filter?.matches(execution.listing) ?? true { all.append(execution) }
            }
            cursor = page.nextCursor
        } while cursor != nil
        all.sort { a, b in
            if order.orders(a.listing, before: b.listing) { return true }
            if order.orders(b.listing, before: a.listing) { return false }
            return a.position > b.position
        }
        let offset = Int(clamping: token ?? 0)
        guard offset < all.count else { return ([], nil) }
        let end = min(all.count, offset + size)
        return (Array(all[offset..<end]), end < all.count ? Int64(end) : nil)
    }

    /// A page of the workflow's `execution.started` events after (or, descending, before) `cursor`,
    /// on revisions after `deletedThrough`.
    private func starts(
        of workflow: String, deletedThrough: Int64, descending: Bool, cursor: Int64?, limit: Int
    ) async throws -> EventPage {
        do {
            var predicates = [
                try FieldPredicate(
                    parsing: "data.workflow = '\(workflow.replacingOccurrences(of: "'", with: ""))'")
            ]
            if deletedThrough > 0 {
                predicates.append(
                    try FieldPredicate(
                        root: .data, path: ["revision"], comparison: .greater, value: .integer(deletedThrough)))
            }
            return try await log.query(
                EventQuery(
                    streamPrefix: "execution/",
                    types: [ExecutionEventType.started],
                    predicates: predicates,
                    after: descending ? 0 : cursor ?? 0,
                    limit: limit,
                    newestFirst: descending,
                    before: descending ? cursor : nil
                ))
        } catch {
            throw GoogleErrorResponse(error)
        }
    }

    private func found(_ start: RecordedEvent, workflow: String, deletedThrough: Int64) async throws -> Found {
        let id = try Self.executionID(String(start.stream.rawValue.dropFirst("execution/".count)))
        let history = try await history(id, of: workflow, deletedThrough: deletedThrough)
        let revision = WorkflowsRoutes.revisionID(history.start?.revision ?? 0)
        return Found(
            position: start.position,
            listing: ExecutionListing(
                id, history: history, revisionID: revision, now: WallClock.microsecondsSinceEpoch()),
            history: history)
    }
}
