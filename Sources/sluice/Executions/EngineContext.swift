import Foundation
import OrderedCollections
import SluiceAdaptersLocal
import SluiceEngine
import SluiceLogSQLite
import SluiceResources
import SluiceWorkflows

/// The engine pieces a CLI command needs, opened on the data directory's log.
struct EngineContext {
    let log: SQLiteEventLog
    let catalog: WorkflowCatalog
    let runner: ExecutionRunner
    /// The built-in models, which also answer the server's `:predict`.
    let models: ModelRegistry
    /// Where `events.await_callback` takes its requests from (the server's callback routes).
    let callbacks: CallbackBroker

    /// Models come from `models` or, by default, `models/` beside the database (`NAME.json`
    /// each, the `sluice.dense.v1` format). With `existing`, a path with no database is refused
    /// (see ``DatabaseOptions/requireExisting()``) before anything is created.
    static func open(_ database: DatabaseOptions, models: String? = nil, existing: Bool = false) async throws
        -> EngineContext
    {
        if existing { try database.requireExisting() }
        let directory =
            models
            ?? URL(fileURLWithPath: database.path).deletingLastPathComponent().appendingPathComponent("models").path
        let registry = try ModelRegistry(directory: directory)
        return try make(
            log: try await database.open(), models: registry,
            dataDirectory: URL(fileURLWithPath: database.path).deletingLastPathComponent().path)
    }

    /// The engine on an open log, with these models and the object bytes in `dataDirectory`,
    /// reporting to `metrics`.
    static func make(
        log: SQLiteEventLog, models registry: ModelRegistry, dataDirectory: String,
        inlineObjectBytes: Int = LocalObjectStore.defaultInlineLimit,
        metrics: ExecutionMetrics = ExecutionMetrics(), idTokens: ServiceAccountTokenIssuer? = nil
    ) throws -> EngineContext {
        let catalog = WorkflowCatalog(log: log)
        let storage = StorageService(
            log: log,
            objects: try LocalObjectStore(directory: dataDirectory, inlineLimit: inlineObjectBytes))
        let late = LateRunner()
        let google = GoogleEffectRouter(
            models: registry,
            topics: PubSubTopicPublisher(pubsub: PubSubService(log: log)),
            executions: ExecutionsConnector(runners: late, catalog: catalog),
            storage: StorageConnector(storage: storage),
            next: LiveHTTPPerformer(catalog: catalog, tokens: idTokens)
        )
        let now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }
        let callbacks = CallbackBroker(log: log)
        let performer = SystemEffectPerformer(
            now: now, next: CallbackEffectPerformer(broker: callbacks, now: now, next: google))
        let runner = ExecutionRunner(
            log: log,
            catalog: catalog,
            performer: performer,
            logger: CommandLogging.logger(label: "sluice.engine"),
            metrics: metrics
        )
        late.set(runner)
        return EngineContext(log: log, catalog: catalog, runner: runner, models: registry, callbacks: callbacks)
    }

    /// Runs `body`, then closes the log whether or not it threw.
    func closing<T>(_ body: () async throws -> T) async throws -> T {
        try await log.closing(after: body)
    }
}

/// Real HTTP for the workflow calls that are not Google APIs (those the router serves). Each
/// request carries the effect's `Idempotency-Key` (the same on a re-performance after a crash),
/// and `auth: {type: OIDC}` an ID token for the revision's service account.
struct LiveHTTPPerformer: EffectPerformer {
    var catalog: WorkflowCatalog?
    var tokens: ServiceAccountTokenIssuer?

    func perform(_ request: EffectRequest, context: EffectContext) async -> Result<WorkflowValue, WorkflowError> {
        guard request.function.hasPrefix("http.") else {
            return .failure(.systemError("\(request.function) is not routed to anything by the sluice CLI yet"))
        }
        CrashFailpoint.trapIfArmed(forURL: request.arguments["url"]?.stringValue)
        var headers = [("Idempotency-Key", context.idempotencyKey)]
        let authorization = await HTTPAuthentication.header(
            request.arguments, serviceAccount: await serviceAccount(context), tokens: tokens)
        switch authorization {
        case .failure(let error): return .failure(error)
        case .success(let value?): headers.append(("Authorization", value))
        case .success(nil): break
        }
        return await HTTPEffect.perform(function: request.function, arguments: request.arguments, headers: headers)
    }

    private func serviceAccount(_ context: EffectContext) async -> String {
        (try? await catalog?.serviceAccount(of: context.workflow, revision: context.revision))
            ?? WorkflowCatalog.defaultServiceAccount
    }
}
