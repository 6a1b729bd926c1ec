public import Hummingbird
public import SluiceEngine
public import SluiceLog

/// Every route Sluice serves, on one router; the app and the in-process tests both build it here.
public enum SluiceRouter {
    public static func make(
        log: any EventLog, catalog: WorkflowCatalog, runner: ExecutionRunner, storage: StorageRoutes? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        router.get("/readyz") { _, _ in
            _ = try await log.headPosition()
            return "ready"
        }
        WorkflowsRoutes(catalog: catalog).add(to: router)
        ExecutionsRoutes(runner: runner, catalog: catalog, log: log).add(to: router)
        EventsRoutes(log: log).add(to: router)
        storage?.add(to: router)
        return router
    }
}
