import OrderedCollections
public import SluiceCore
public import SluiceLog
public import SluiceWorkflows

/// Deployed workflows: every deploy is a new revision in `workflow/NAME`, and executions are
/// pinned to the revision they started with.
public actor WorkflowCatalog {
    /// The event type of one deploy.
    public static let deployedType = "workflow.deployed"

    let log: any EventLog
    private var definitions: [String: WorkflowDefinition] = [:]
    /// How long a latest revision read from the log may stand for starts that accept a recent one.
    let recentRevisionLifetime: Duration
    private var recentLatest: [String: (revision: Int64, readAt: ContinuousClock.Instant)] = [:]

    public init(log: any EventLog, recentRevisionLifetime: Duration = .milliseconds(100)) {
        self.log = log
        self.recentRevisionLifetime = recentRevisionLifetime
    }

    public static func stream(_ name: String) -> StreamName { StreamName(unchecked: "workflow/" + name) }

    /// The identity executions act as when a workflow names no service account: the email its
    /// `http.*` calls' OIDC tokens are issued for.
    public static let defaultServiceAccount = "workflows@sluice.internal"

    /// Validates `source` and records it as the workflow's next revision, which it returns.
    /// Deploying the same source and service account as the latest revision records nothing and
    /// returns that revision. With `creating`, a workflow that exists already is `alreadyExists`
    /// (the API's create). `serviceAccount` is an email; nil means the default account.
    @discardableResult
    public func deploy(
        name: String, source: String, principal: String? = nil, creating: Bool = false, serviceAccount: String? = nil
    ) async throws(SluiceError) -> Int64 {
        try Self.validateName(name)
        if let serviceAccount { try Self.validateServiceAccount(serviceAccount) }
        let definition: WorkflowDefinition
        do {
            definition = try WorkflowDefinition(source: source)
        } catch {
            throw SluiceError(.invalidArgument, "workflow \(name) does not validate: \(error)")
        }
        let stream = Self.stream(name)
        let events = try await log.readStream(stream, from: 1, limit: 100_000)
        if creating, let latest = events.last, latest.type == Self.deployedType {
            throw SluiceError(.alreadyExists, "workflow \(name) already exists")
        }
        if let latest = events.last, let fields = try? EventPayload.decode(latest),
            fields["source"]?.stringValue == source, fields["serviceAccount"]?.stringValue == serviceAccount
        {
            return latest.version
        }
        let revision = Int64(events.count + 1)
        var fields: OrderedDictionary<String, WorkflowValue> = [
            "name": .string(name), "revision": .int(revision), "source": .string(source),
        ]
        if let serviceAccount { fields["serviceAccount"] = .string(serviceAccount) }
        let data = try EventPayload.encode(fields)
        _ = try await log.append(
            [NewEvent(type: Self.deployedType, data: data, metadata: EventMetadata(principal: principal))],
            to: stream,
            expectedVersion: .exact(revision - 1)
        )
        definitions["\(name)@\(revision)"] = definition
        forgetRecentLatest(name)
        return revision
    }

    /// The latest revision, or `notFound`.
    public func latestRevision(of name: String) async throws(SluiceError) -> Int64 {
        let stream = Self.stream(name)
        let version = try await log.streamVersion(stream)
        // A cached definition at this version proves the event there is a deploy (events never
        // change), so a busy workflow's executions skip reading it again.
        if version > 0, definitions["\(name)@\(version)"] != nil { return version }
        guard version > 0, try await log.readStream(stream, from: version, limit: 1).first?.type == Self.deployedType
        else { throw SluiceError(.notFound, "workflow \(name) is not deployed") }
        return version
    }

    /// The latest revision as read at most ``recentRevisionLifetime`` ago, for starts made by
    /// events (a function's), which would otherwise read the workflow's stream once each.
    ///
    /// A deploy or delete through this catalog is seen at once; one written by another process on
    /// the same log is seen within the lifetime. An API call that creates an execution uses
    /// ``latestRevision(of:)``, which is always exact.
    public func recentLatestRevision(of name: String) async throws(SluiceError) -> Int64 {
        let now = ContinuousClock.now
        if let recent = recentLatest[name], now - recent.readAt < recentRevisionLifetime { return recent.revision }
        let revision = try await latestRevision(of: name)
        recentLatest[name] = (revision, now)
        return revision
    }

    /// Drops the recent latest revision of `name`, after this catalog changed the workflow.
    func forgetRecentLatest(_ name: String) { recentLatest[name] = nil }

    /// The parsed definition of one revision, cached.
    public func definition(of name: String, revision: Int64) async throws(SluiceError) -> WorkflowDefinition {
        let key = "\(name)@\(revision)"
        if let cached = definitions[key] { return cached }
        let events = try await log.readStream(Self.stream(name), from: revision, limit: 1)
        guard let event = events.first, event.version == revision, event.type == Self.deployedType else {
            throw SluiceError(.notFound, "workflow \(name) has no revision \(revision)")
        }
        guard let source = try EventPayload.decode(event)["source"]?.stringValue else {
            throw SluiceError(.corruptStore, "workflow \(name) revision \(revision) has no source")
        }
        do {
            let definition = try WorkflowDefinition(source: source)
            definitions[key] = definition
            return definition
        } catch {
            throw SluiceError(.corruptStore, "workflow \(name) revision \(revision) no longer validates: \(error)")
        }
    }

    /// The service account executions of one revision act as: the one it was deployed with, or
    /// the default.
    public func serviceAccount(of name: String, revision: Int64) async throws(SluiceError) -> String {
        let events = try await log.readStream(Self.stream(name), from: revision, limit: 1)
        guard let event = events.first, event.version == revision, event.type == Self.deployedType else {
            throw SluiceError(.notFound, "workflow \(name) has no revision \(revision)")
        }
        return try EventPayload.decode(event)["serviceAccount"]?.stringValue ?? Self.defaultServiceAccount
    }

    /// An email address (`NAME@DOMAIN`), as IAM service accounts are named.
    static func validateServiceAccount(_ email: String) throws(SluiceError) {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.utf8.count <= 254,
            !email.unicodeScalars.contains(where: { $0.value <= 0x20 || $0 == "/" })
        else {
            throw SluiceError(
                .invalidArgument, "serviceAccount must be a service account's email address, not '\(email)'")
        }
    }

    /// GCP workflow ids: a letter first, then letters, digits, `-` and `_`, at most 128.
    static func validateName(_ name: String) throws(SluiceError) {
        let bytes = Array(name.utf8)
        let valid =
            !bytes.isEmpty && bytes.count <= 128
            && ((bytes[0] >= 0x41 && bytes[0] <= 0x5A) || (bytes[0] >= 0x61 && bytes[0] <= 0x7A))
            && bytes.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            }
        guard valid else {
            throw SluiceError(
                .invalidArgument,
                "workflow name '\(name)' must start with a letter and hold only letters, digits, '-' and '_' (at most 128)"
            )
        }
    }
}
