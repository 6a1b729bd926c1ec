import OrderedCollections
public import SluiceCore
import SluiceLog
import SluiceWorkflows

extension WorkflowCatalog {
    /// What the Workflows API shows of one workflow.
    public struct Summary: Sendable, Hashable {
        public var name: String
        public var revision: Int64
        public var source: String
        /// Microseconds since the epoch of the first and the latest deploy.
        public var createdAt: Int64
        public var updatedAt: Int64
        /// The email of the service account the revision runs as; nil for the default.
        public var serviceAccount: String?

        /// The revision `event` records, of a workflow first deployed at `createdAt`.
        init(name: String, deployed event: RecordedEvent, createdAt: Int64) throws(SluiceError) {
            let fields = try EventPayload.decode(event)
            self.name = name
            revision = event.version
            source = fields["source"]?.stringValue ?? ""
            self.createdAt = createdAt
            updatedAt = event.timestamp
            serviceAccount = fields["serviceAccount"]?.stringValue
        }
    }

    /// One workflow, or `notFound`.
    public func summary(of name: String) async throws(SluiceError) -> Summary {
        try Self.validateName(name)
        let events = Self.liveRevisions(try await log.readStream(Self.stream(name), from: 1, limit: 100_000))
        guard let first = events.first, let last = events.last else {
            throw SluiceError(.notFound, "workflow \(name) is not deployed")
        }
        return try Summary(name: name, deployed: last, createdAt: first.timestamp)
    }

    /// Every deployed workflow, by name.
    public func summaries() async throws(SluiceError) -> [Summary] {
        var names: Set<String> = []
        var after: Int64 = 0
        while true {
            let page = try await log.query(
                EventQuery(streamPrefix: "workflow/", types: [Self.deployedType], after: after, limit: 10_000))
            for event in page.events { names.insert(String(event.stream.rawValue.dropFirst("workflow/".count))) }
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        var result: [Summary] = []
        for name in names.sorted() {
            do {
                result.append(try await summary(of: name))
            } catch  where error.code == .notFound {
                continue  // deleted
            }
        }
        return result
    }
}
