import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SluiceAdaptersLocal
import SluiceEngine
import SluiceHTTP
import SluiceLogSQLite
import SluiceResources

/// `sluice serve`: the Sluice service. Today: the Workflows and Executions APIs and the engine
/// that runs executions; storage, Pub/Sub and models come with the engine's next parts.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Sluice service: the Workflows and Executions APIs, the pipeline and the execution engine."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on. Only loopback addresses are allowed until tokens exist.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "The directory of built-in models (NAME.json each); default: models/ beside the database.")
    var models: String?

    @Option(help: "Most executions run at once.")
    var maxExecutions: Int = 256

    func validate() throws {
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw ValidationError(
                "refusing to listen on \(host): non-loopback addresses require bearer tokens, which this build does not have yet"
            )
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0-65535") }
    }

    func run() async throws {
        let logger = CommandLogging.logger(label: "sluice.serve")
        let engine = try await EngineContext.open(database, models: models)
        let scheduler = ExecutionScheduler(
            log: engine.log, runner: engine.runner, maximumConcurrent: maxExecutions,
            logger: CommandLogging.logger(label: "sluice.engine.scheduler"))
        let router = SluiceRouter.make(
            SluiceRouter.Services(log: engine.log, catalog: engine.catalog, runner: engine.runner))
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "sluice"),
            onServerRunning: { channel in
                StandardOutput.line(
                    "sluice: listening on http://\(host):\(channel.localAddress?.port ?? port) (log \(database.path))")
            },
            logger: logger
        )
        let resources = ResourceContext(
            log: engine.log,
            buckets: Buckets(
                log: engine.log, objects: try LocalObjectStore(root: ResourceContext.objectsRoot(database))),
            topics: Topics(log: engine.log))
        let pipelineLogger = CommandLogging.logger(label: "sluice.engine.pipeline")
        app.addServices(
            SchedulerService(scheduler: scheduler),
            PipelineService(
                emitter: NotificationEmitter(
                    log: engine.log, buckets: resources.buckets, topics: resources.topics, logger: pipelineLogger),
                dispatcher: FunctionDispatcher(
                    log: engine.log, topics: resources.topics, runner: engine.runner, catalog: engine.catalog,
                    logger: pipelineLogger)))
        do {
            try await app.runService()
        } catch {
            await engine.log.close()
            throw error
        }
        await engine.log.close()
        StandardOutput.line("sluice: stopped; event log closed")
    }
}

/// Runs the notification emitter and the function dispatcher for as long as the service runs.
struct PipelineService: Service {
    let emitter: NotificationEmitter
    let dispatcher: FunctionDispatcher

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await emitter.run() }
                    group.addTask { try await dispatcher.run() }
                    try await group.waitForAll()
                }
            } catch is CancellationError {
                return
            }
        }
    }
}

/// Runs the execution scheduler for as long as the service runs.
struct SchedulerService: Service {
    let scheduler: ExecutionScheduler

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            do {
                try await scheduler.run()
            } catch is CancellationError {
                return
            }
        }
    }
}
