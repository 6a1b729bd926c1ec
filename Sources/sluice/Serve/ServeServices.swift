import ServiceLifecycle
import SluiceEngine
import SluiceHTTP

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

/// Re-reads the token events every second, so a token revoked from the CLI stops working
/// within a second on a running server.
struct TokenRefreshService: Service {
    let tokens: TokenDirectory

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(1))
                } catch {
                    return
                }
                try? await tokens.refresh()
            }
        }
    }
}

/// Runs pull delivery for every subscription for as long as the service runs.
struct SubscriptionService: Service {
    let hub: SubscriptionHub

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            do {
                try await hub.run()
            } catch is CancellationError {
                return
            }
        }
    }
}
