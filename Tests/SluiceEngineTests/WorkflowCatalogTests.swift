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

    @Test("a recent latest revision is reused without asking the log again within its lifetime")
    func recentLatestRevisionIsReused() async throws {
        let log = ReadCountingLog(MemoryEventLog())
        let catalog = WorkflowCatalog(log: log, recentRevisionLifetime: .seconds(60))
        let revision = try await catalog.deploy(name: "pipeline", source: Workflows.twoCalls)
        for _ in 1...5 { #expect(try await catalog.recentLatestRevision(of: "pipeline") == revision) }
        #expect(log.versionReads(of: WorkflowCatalog.stream("pipeline")) == 1)
    }

    @Test("a deploy through the same catalog is the recent latest revision at once")
    func deployThroughTheSameCatalogIsSeenAtOnce() async throws {
        let catalog = WorkflowCatalog(log: MemoryEventLog(), recentRevisionLifetime: .seconds(60))
        let first = try await catalog.deploy(name: "pipeline", source: Workflows.twoCalls)
        #expect(try await catalog.recentLatestRevision(of: "pipeline") == first)
        let second = try await catalog.deploy(name: "pipeline", source: Workflows.twoCallsThenStore)
        #expect(try await catalog.recentLatestRevision(of: "pipeline") == second)
    }

    @Test("a deploy through another catalog is the recent latest revision once the lifetime has passed")
    func deployByAnotherCatalogIsSeenAfterTheLifetime() async throws {
        let log = MemoryEventLog()
        let catalog = WorkflowCatalog(log: log, recentRevisionLifetime: .milliseconds(20))
        let first = try await catalog.deploy(name: "pipeline", source: Workflows.twoCalls)
        #expect(try await catalog.recentLatestRevision(of: "pipeline") == first)
        let second = try await WorkflowCatalog(log: log).deploy(name: "pipeline", source: Workflows.twoCallsThenStore)
        try await Task.sleep(for: .milliseconds(40))
        #expect(try await catalog.recentLatestRevision(of: "pipeline") == second)
    }
}
