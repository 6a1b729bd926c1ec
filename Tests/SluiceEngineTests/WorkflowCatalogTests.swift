import SluiceCore
import SluiceEngine
import SluiceLog
import Testing

@Suite("The catalog finds a workflow's latest revision, and never one that is gone")
struct WorkflowCatalogTests {
    @Test("the latest revision of a workflow whose definition is loaded is found without reading its stream")
    func latestRevisionOfALoadedDefinitionSkipsTheStreamRead() async throws {
        let log = ReadCountingLog(MemoryEventLog())
        let catalog = WorkflowCatalog(log: log)
        let revision = try await catalog.deploy(name: "pipeline", source: Workflows.twoCalls)
        let readsAfterDeploy = log.streamReads(of: WorkflowCatalog.stream("pipeline"))
        for _ in 1...5 { #expect(try await catalog.latestRevision(of: "pipeline") == revision) }
        #expect(log.streamReads(of: WorkflowCatalog.stream("pipeline")) == readsAfterDeploy)
    }

    @Test("a workflow deleted through another catalog on the same log is not deployed for this one")
    func deleteByAnotherCatalogIsSeen() async throws {
        let log = MemoryEventLog()
        let catalog = WorkflowCatalog(log: log)
        _ = try await catalog.deploy(name: "pipeline", source: Workflows.twoCalls)
        _ = try await catalog.latestRevision(of: "pipeline")
        try await WorkflowCatalog(log: log).delete(name: "pipeline")
        await #expect {
            try await catalog.latestRevision(of: "pipeline")
        } throws: { error in
            (error as? SluiceError)?.code == .notFound
        }
    }

    @Test("a revision deployed through another catalog is the latest for this one")
    func deployByAnotherCatalogIsSeen() async throws {
        let log = MemoryEventLog()
        let catalog = WorkflowCatalog(log: log)
        let first = try await catalog.deploy(name: "pipeline", source: Workflows.twoCalls)
        #expect(try await catalog.latestRevision(of: "pipeline") == first)
        let second = try await WorkflowCatalog(log: log).deploy(name: "pipeline", source: Workflows.twoCallsThenStore)
        #expect(second == first + 1)
        #expect(try await catalog.latestRevision(of: "pipeline") == second)
    }
}
