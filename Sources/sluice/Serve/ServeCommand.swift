import ArgumentParser
import CoreMetrics
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import SluiceAdaptersLocal
import SluiceApp
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLogSQLite
import SluiceResources
import SluiceStack
import UnixSignals

/// `sluice serve`: the Sluice service: the HTTP APIs, the pipeline and the execution engine,
/// in one ServiceGroup that SIGTERM or SIGINT stops gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Sluice service: the Workflows, Executions and Vertex AI APIs, the pipeline and the engine.",
        discussion: """
            Each setting comes from its flag, else its SLUICE_* environment variable, else the YAML \
            configuration file (--config or SLUICE_CONFIG), else its default; the README lists them all. \
            Off loopback every request but /healthz and /readyz needs a bearer token (`sluice tokens create`).
            """
    )

    @Option(help: "A YAML configuration file (default: $SLUICE_CONFIG, if set).")
    var config: String?

    @Option(help: "The address to listen on (default 127.0.0.1); anything but loopback requires tokens.")
    var host: String?

    @Option(help: "The port to listen on (default 8080; 0 picks a free one).")
    var port: Int?

    @Option(help: "The data directory (default ./sluice-data); the database defaults to sluice.db in it.")
    var dataDir: String?

    @Option(name: .customLong("db"), help: "The SQLite database of the event log (default: DATA_DIR/sluice.db).")
    var db: String?

    @Option(help: "The directory of built-in models, NAME.json each (default: models/ beside the database).")
    var models: String?

    @Option(help: "Commit durability: full (fsync every commit, the default) or normal.")
    var synchronous: String?

    @Option(help: "Most executions run at once (default 256).")
    var maxExecutions: Int?

    @Option(help: "Larger request bodies get 413 (default 33554432).")
    var maxBodyBytes: Int?

    @Option(help: "Seconds a connection may send nothing before it is closed (default 60).")
    var idleTimeoutSeconds: Int?

    @Option(help: "Objects up to this many bytes live in their finalize event, not a file (default 8192; 0: off).")
    var inlineObjectBytes: Int?

    @Flag(help: "Require bearer tokens on loopback too.")
    var requireAuth = false

    @Option(
        help:
            "A stack file applied at start; `example` (the default) is the built-in ML pipeline, `none` applies nothing."
    )
    var stack: String?

    @Option(
        help: "The URL clients reach the server at, for callback endpoints and ID tokens (default: the bound address).")
    var publicUrl: String?

    @Option(help: "trace, debug, info, notice, warning (the default), error or critical.")
    var logLevel: String?

    func run() async throws {
        let configuration = try resolvedConfiguration()
        CommandLogging.use(level: Logger.Level(rawValue: configuration.logLevel) ?? .warning)
        let metrics = SluiceMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let models = try ModelRegistry(directory: configuration.modelsDirectory)
        let log = try await DatabaseOptions.open(
            path: configuration.databasePath,
            synchronous: SQLiteEventLog.Configuration.Synchronous(rawValue: configuration.synchronous) ?? .full)
        do {
            try await ServeRun(configuration: configuration, log: log, models: models, metrics: metrics).run()
        } catch {
            await log.close()
            throw error
        }
        await log.close()
        StandardOutput.line("sluice: stopped; event log closed")
    }

    /// Flags over environment over file over defaults.
    private func resolvedConfiguration() throws -> ServeConfiguration {
        var flags: [String: String] = [:]
        flags["host"] = host
        flags["port"] = port.map(String.init)
        flags["data_dir"] = dataDir
        flags["db"] = db
        flags["models"] = models
        flags["synchronous"] = synchronous
        flags["max_executions"] = maxExecutions.map(String.init)
        flags["max_body_bytes"] = maxBodyBytes.map(String.init)
        flags["idle_timeout_seconds"] = idleTimeoutSeconds.map(String.init)
        flags["inline_object_bytes"] = inlineObjectBytes.map(String.init)
        flags["log_level"] = logLevel
        flags["public_url"] = publicUrl
        flags["stack"] = stack
        if requireAuth { flags["require_auth"] = "true" }
        let environment = ProcessInfo.processInfo.environment
        let file = config ?? environment[ServeConfiguration.configFileVariable]
        return try ServeConfiguration.resolve(
            flags: flags, environment: environment, fileText: try file.map(InputFile.text), filePath: file ?? "")
    }
}

/// One run of the service on an open log; the caller closes the log after it returns.
struct ServeRun {
    let configuration: ServeConfiguration
    let log: SQLiteEventLog
    let models: ModelRegistry
    let metrics: SluiceMetrics
    /// Told the bound port instead of printing it (a benchmark runs the server in its process).
    var onListening: (@Sendable (Int) async -> Void)? = nil
    /// Given the service group before it runs, so an in-process caller can shut it down
    /// gracefully, as SIGTERM does.
    var onServiceGroup: (@Sendable (ServiceGroup) async -> Void)? = nil

    func run() async throws {
        let logger = CommandLogging.logger(label: "sluice.serve")
        let dataDirectory = URL(fileURLWithPath: configuration.databasePath).deletingLastPathComponent().path
        let previousRunCrashed = CrashRecord.arm(dataDirectory: dataDirectory)
        if previousRunCrashed {
            logger.warning("the previous server on this data directory crashed; resuming its executions")
        }
        let idTokens = ServiceAccountTokenIssuer(
            keyFile: ServiceAccountTokenIssuer.keyFile(inDataDirectory: dataDirectory))
        let engine = try EngineContext.make(
            log: log, models: models, dataDirectory: dataDirectory, inlineObjectBytes: configuration.inlineObjectBytes,
            metrics: ExecutionMetrics(factory: metrics.factory), idTokens: idTokens)
        let tokens = TokenDirectory(log: log)
        try await tokens.refresh()
        if configuration.authRequired, !tokens.hasActiveToken {
            throw SluiceError(
                .failedPrecondition,
                configuration.isLoopback
                    ? "refusing to start: auth is required but no token exists; create one with `sluice tokens create --role admin`"
                    : "refusing to listen on \(configuration.host) without tokens: off loopback every request needs one; create one with `sluice tokens create --role admin`"
            )
        }
        let stacks = StackApplier(
            log: log,
            storage: StorageService(
                log: log,
                objects: try LocalObjectStore(directory: dataDirectory, inlineLimit: configuration.inlineObjectBytes)),
            catalog: engine.catalog,
            models: DirectoryModelInstaller(directory: configuration.modelsDirectory, registry: models),
            runner: engine.runner, principal: "serve")
        if configuration.stack != "none" {
            let stack = try StackLoading.load(configuration.stack)
            let plan = try await stacks.apply(stack)
            StandardOutput.errorLine("sluice: stack \(stack.name) applied (\(plan.summary))")
        }
        let logMetrics = LogMetrics(log: log, factory: metrics.factory)
        metrics.onScrape { await logMetrics.collect() }
        let resources = try ResourceContext(
            log: log, dataDirectory: dataDirectory, inlineObjectBytes: configuration.inlineObjectBytes)
        let hub = SubscriptionHub(
            log: log, pubsub: resources.pubsub, logger: CommandLogging.logger(label: "sluice.engine.pubsub"),
            pushSender: HTTPPushSender(tokens: idTokens))
        let router = SluiceRouter.make(
            SluiceRouter.Services(
                log: log, catalog: engine.catalog, runner: engine.runner, models: models, tokens: tokens,
                metrics: metrics,
                storage: StorageRoutes(storage: resources.storage, uploadsDirectory: dataDirectory + "/uploads"),
                pubsub: PubSubRoutes(pubsub: resources.pubsub, hub: hub), callbacks: engine.callbacks,
                idTokenKeys: idTokens, stacks: stacks.acting(as: "api")),
            configuration: SluiceRouter.Configuration(
                maxBodyBytes: configuration.maxBodyBytes, requireAuth: configuration.authRequired))
        let host = configuration.host
        let port = configuration.port
        let auth = configuration.authRequired ? "bearer tokens required" : "no auth (loopback)"
        let idleTimeout = TimeAmount.seconds(Int64(configuration.idleTimeoutSeconds))
        var app = Application(
            router: router,
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: idleTimeout)),
            configuration: .init(address: .hostname(host, port: port), serverName: "sluice"),
            onServerRunning: {
                [
                    path = configuration.databasePath, publicURL = configuration.publicURL, onListening,
                    callbacks = engine.callbacks, idTokens
                ] channel in
                let bound = channel.localAddress?.port ?? port
                let baseURL = publicURL ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(bound)"
                await callbacks.setBaseURL(baseURL)
                idTokens.issuer = baseURL
                if let onListening {
                    await onListening(bound)
                } else {
                    StandardOutput.line("sluice: listening on http://\(host):\(bound) (log \(path); \(auth))")
                }
            },
            logger: logger
        )
        let scheduler = ExecutionScheduler(
            log: log, runner: engine.runner, maximumConcurrent: configuration.maxExecutions,
            afterCrash: previousRunCrashed, logger: CommandLogging.logger(label: "sluice.engine.scheduler"))
        let pipelineLogger = CommandLogging.logger(label: "sluice.engine.pipeline")
        app.addServices(
            SchedulerService(scheduler: scheduler),
            PipelineService(
                emitter: NotificationEmitter(log: log, pubsub: resources.pubsub, logger: pipelineLogger),
                dispatcher: FunctionDispatcher(
                    log: log, runner: engine.runner, catalog: engine.catalog, runtimes: LocalFunctionRuntimes.make,
                    logger: pipelineLogger)),
            TokenRefreshService(tokens: tokens),
            SubscriptionService(hub: hub))
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        await onServiceGroup?(group)
        try await group.run()
    }
}
