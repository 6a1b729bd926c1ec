import OrderedCollections
public import SluiceCore
import SluiceLog
import SluiceWorkflows

extension WorkflowCatalog {
    /// The event type of a delete. The stream stays; a later deploy starts the workflow again
    /// with the next revision number, and executions pinned to older revisions still run.
    public static let deletedType = "workflow.deleted"

    /// One recorded delete: the stream version of its event and when it was recorded.
    public struct Deletion: Sendable, Hashable {
        /// The workflow.
        public var name: String
        /// The stream version of the `workflow.deleted` event.
        public var version: Int64
        /// Microseconds since the epoch.
        public var deletedAt: Int64
    }

    /// Records the workflow's deletion, or throws `notFound` when it is not deployed.
    @discardableResult
    public func delete(name: String, principal: String? = nil) async throws(SluiceError) -> Deletion {
        try Self.validateName(name)
        let stream = Self.stream(name)
        let events = try await log.readStream(stream, from: 1, limit: 100_000)
        guard !Self.liveRevisions(events).isEmpty, let last = events.last else {
            throw SluiceError(.notFound, "workflow \(name) is not deployed")
        }
        let data = try EventPayload.encode(["name": .string(name)])
        _ = try await log.append(
            [NewEvent(type: Self.deletedType, data: data, metadata: EventMetadata(principal: principal))],
            to: stream,
            expectedVersion: .exact(last.version)
        )
        forgetRecentLatest(name)
        return try await deletion(of: name, version: last.version + 1)
    }

    /// The delete recorded at `version` of the workflow's stream, or `notFound`.
    public func deletion(of name: String, version: Int64) async throws(SluiceError) -> Deletion {
        try Self.validateName(name)
        guard let event = try await log.readStream(Self.stream(name), from: version, limit: 1).first,
            event.version == version, event.type == Self.deletedType
        else { throw SluiceError(.notFound, "workflow \(name) has no delete at version \(version)") }
        return Deletion(name: name, version: version, deletedAt: event.timestamp)
    }

    /// The stream version of the workflow's latest delete, 0 if it was never deleted. Revisions
    /// number on across a delete, so an execution pinned to a revision at or below this one ran
    /// a deleted predecessor of the workflow: Workflows deletes those executions with it, and the
    /// Executions API does not show them under the workflow's name.
    public func deletedThrough(of name: String) async throws(SluiceError) -> Int64 {
        try Self.validateName(name)
        let events = try await log.readStream(Self.stream(name), from: 1, limit: 100_000)
        return events.last(where: { $0.type == Self.deletedType })?.version ?? 0
    }

    /// Every revision since the workflow was last (re)created, newest first.
    public func revisions(of name: String) async throws(SluiceError) -> [Summary] {
        try Self.validateName(name)
        let live = Self.liveRevisions(try await log.readStream(Self.stream(name), from: 1, limit: 100_000))
        guard let first = live.first else { throw SluiceError(.notFound, "workflow \(name) is not deployed") }
        var result: [Summary] = []
        for event in live.reversed() {
            result.append(try Summary(name: name, deployed: event, createdAt: first.timestamp))
        }
        return result
    }

    /// One revision of a live workflow, or `notFound`.
    public func summary(of name: String, revision: Int64) async throws(SluiceError) -> Summary {
        guard let found = try await revisions(of: name).first(where: { $0.revision == revision }) else {
            throw SluiceError(.notFound, "workflow \(name) has no revision \(revision)")
        }
        return found
    }

    /// The deploy events after the last delete: the revisions a reader sees.
    static func liveRevisions(_ events: [RecordedEvent]) -> ArraySlice<RecordedEvent> {
        let start = (events.lastIndex(where: { $0.type == deletedType }).map { $0 + 1 }) ?? 0
        return events[start...].filter { $0.type == deployedType }[...]
    }
}
