public import Hummingbird
public import SluiceEngine
public import SluiceLog
public import SluiceStack

/// Every route Sluice serves, on one router; the serve command and the in-process tests both
/// build it here.
public enum SluiceRouter {
    /// What the routes serve.
    public struct Services: Sendable {
        /// The event log the routes read and the health check probes.
        public var log: any EventLog
        /// Deployed workflows.
        public var catalog: WorkflowCatalog
        /// Records, reads and cancels executions (the scheduler runs them).
        public var runner: ExecutionRunner
        /// The models `:predict` reaches; nil answers every prediction with NOT_FOUND.
        public var models: (any ModelEndpoints)?
        /// The tokens bearer secrets are checked against; nil knows no token.
        public var tokens: TokenDirectory?
        /// Where request metrics go and what `/metrics` emits; nil serves no `/metrics`.
        public var metrics: SluiceMetrics?
        /// The Cloud Storage JSON API; nil serves none.
        public var storage: StorageRoutes?
        /// The Pub/Sub REST API; nil serves none.
        public var pubsub: PubSubRoutes?
        /// Where `events.await_callback` endpoints deliver; nil serves none.
        public var callbacks: CallbackBroker?
        /// The keys that verify authenticated pushes' ID tokens; nil serves no OpenID discovery.
        public var idTokenKeys: (any IDTokenKeys)?
        /// Plans and applies stack files sent by `sluice apply --server`; nil serves no stack API.
        public var stacks: StackApplier?

        /// Services with no models, tokens or metrics unless given.
        public init(
            log: any EventLog,
            catalog: WorkflowCatalog,
            runner: ExecutionRunner,
            models: (any ModelEndpoints)? = nil,
            tokens: TokenDirectory? = nil,
            metrics: SluiceMetrics? = nil,
            storage: StorageRoutes? = nil,
            pubsub: PubSubRoutes? = nil,
            callbacks: CallbackBroker? = nil,
            idTokenKeys: (any IDTokenKeys)? = nil,
            stacks: StackApplier? = nil
        ) {
            self.log = log
            self.catalog = catalog
            self.runner = runner
            self.models = models
            self.tokens = tokens
            self.metrics = metrics
            self.storage = storage
            self.pubsub = pubsub
            self.callbacks = callbacks
            self.idTokenKeys = idTokenKeys
            self.stacks = stacks
        }
    }

    /// How the routes behave.
    public struct Configuration: Sendable {
        /// The default body limit: 32 MiB.
        public static let defaultMaxBodyBytes = 32 << 20

        /// Larger bodies get 413.
        public var maxBodyBytes: Int = Self.defaultMaxBodyBytes
        /// Whether every route but the health checks needs a bearer token.
        public var requireAuth = false

        /// A configuration; the defaults suit loopback development.
        public init(maxBodyBytes: Int = Self.defaultMaxBodyBytes, requireAuth: Bool = false) {
            self.maxBodyBytes = maxBodyBytes
            self.requireAuth = requireAuth
        }
    }

    /// The router with every route and middleware, outermost first: metrics, Google errors, `+` in
    /// queries as spaces, empty segments, body limit, authentication; roles are checked per route
    /// group.
    public static func make(_ services: Services, configuration: Configuration = Configuration()) -> Router<
        SluiceRequestContext
    > {
        // HEAD is answered by each path's GET handler, as HTTP asks; NIO leaves out the body.
        let router = Router(context: SluiceRequestContext.self, options: .autoGenerateHeadEndpoints)
        if let metrics = services.metrics {
            router.add(middleware: RequestMetricsMiddleware(factory: metrics.factory))
        }
        router.add(middleware: GoogleErrorMiddleware())
        router.add(middleware: FormQueryMiddleware())
        router.add(middleware: EmptySegmentMiddleware())
        router.add(middleware: BodyLimitMiddleware(limit: configuration.maxBodyBytes))
        router.add(middleware: AuthenticationMiddleware(tokens: services.tokens, required: configuration.requireAuth))
        let table = RouteTable(router)
        table.get("/healthz") { _, _ in "ok" }
        table.get("/readyz") { _, _ in
            _ = try await services.log.headPosition()
            return "ready"
        }
        if let keys = services.idTokenKeys { IdentityRoutes(keys: keys).add(to: table) }
        let routes = RoleRoutes(table)
        if let keys = services.idTokenKeys { IdentityRoutes(keys: keys).addRotation(to: routes) }
        WorkflowsRoutes(catalog: services.catalog, runner: services.runner).add(to: routes)
        ExecutionsRoutes(runner: services.runner, catalog: services.catalog, log: services.log).add(to: routes)
        EventsRoutes(log: services.log).add(to: routes)
        RedriveRoutes(log: services.log).add(to: routes)
        TraceRoutes(log: services.log).add(to: routes)
        VerifyRoutes(log: services.log).add(to: routes)
        ReplayRoutes(log: services.log, runner: services.runner).add(to: routes)
        PredictionRoutes(models: services.models).add(to: routes)
        if let applier = services.stacks { StackRoutes(applier: applier).add(to: routes) }
        if let metrics = services.metrics { MetricsRoutes(metrics: metrics).add(to: routes) }
        services.storage?.add(to: routes)
        services.pubsub?.add(to: routes)
        if let broker = services.callbacks { CallbackRoutes(broker: broker, runner: services.runner).add(to: routes) }
        table.answerMethodNotAllowed()
        return router
    }
}
