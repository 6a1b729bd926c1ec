import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import SluiceTesting
import SluiceWorkflows
import Synchronization
import Testing

@Suite("A bucket delete and the uploads into that bucket never both succeed")
struct BucketDeleteRaceTests {
    /// How long the delete gives an upload started after its emptiness check to commit: long
    /// enough for an unguarded upload into a memory log, and the time a guarded one is held.
    static let uploadGrace = Duration.milliseconds(500)

    /// Starts `write` right after the next listing of a bucket's objects (a delete's emptiness
    /// check) and gives it ``uploadGrace`` to end before the delete goes on; the box holds its task.
    static func startingAfterTheEmptinessCheck<Written: Sendable>(
        of log: ListingHookLog, _ write: @escaping @Sendable () async throws -> Written
    ) -> StartedWrite<Written> {
        let box = StartedWrite<Written>()
        log.afterNextObjectListing {
            let (ended, ending) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                defer { ending.finish() }
                return try await write()
            }
            box.task.withLock { $0 = task }
            // An unguarded write commits now, between the delete's check and its append; a guarded
            // one waits for the delete, so the wait for it ends (cancelled) at the grace period.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await _ in ended {} }
                group.addTask { try? await Task.sleep(for: Self.uploadGrace) }
                await group.next()
                group.cancelAll()
            }
        }
        return box
    }

    @Test("an upload that starts after a delete found the bucket empty fails NOT_FOUND instead of outliving it")
    func uploadAfterTheEmptinessCheckIsRefused() async throws {
        let log = ListingHookLog(base: MemoryEventLog())
        let objects = try LocalObjectStore(directory: ScratchSpace.url("sluice-delete-race-\(UUID())").path)
        let storage = StorageService(log: log, objects: objects)
        try await storage.createBucket("doomed")
        let upload = Self.startingAfterTheEmptinessCheck(of: log) {
            try await storage.upload(bucket: "doomed", object: "late.png", bytes: [1])
        }
        try await storage.deleteBucket("doomed")
        let uploaded = try #require(upload.task.withLock { $0 })
        await #expect(throws: SluiceError(.notFound, "")) { _ = try await uploaded.value }
        try await storage.createBucket("doomed")
        #expect(try await storage.listObjects("doomed", ObjectListing()).objects.isEmpty)
    }

    @Test("a workflow's insert that starts after a delete found the bucket empty fails instead of outliving it")
    func workflowInsertAfterTheEmptinessCheckIsRefused() async throws {
        let log = ListingHookLog(base: MemoryEventLog())
        let objects = try LocalObjectStore(directory: ScratchSpace.url("sluice-delete-race-\(UUID())").path)
        let storage = StorageService(log: log, objects: objects)
        let catalog = WorkflowCatalog(log: log)
        let router = GoogleEffectRouter(
            models: nil, topics: nil, executions: nil, storage: StorageConnector(storage: storage),
            next: UnroutedEffectPerformer())
        let runner = ExecutionRunner(log: log, catalog: catalog, performer: router)
        try await storage.createBucket("doomed")
        try await catalog.deploy(
            name: "writer",
            source: """
                main:
                  steps:
                    - store:
                        call: googleapis.storage.v1.objects.insert
                        args: {bucket: doomed, name: late.json, body: {label: 7}}
                """)
        let id = try ExecutionID("writer-1")
        try await runner.start(id, ExecutionStart(workflow: "writer", revision: 1, argument: nil))
        let execution = Self.startingAfterTheEmptinessCheck(of: log) { try await runner.run(id) }
        try await storage.deleteBucket("doomed")
        let outcome = try await #require(execution.task.withLock { $0 }).value
        guard case .failed = outcome.ending else {
            Issue.record("the insert into the deleted bucket succeeded: \(outcome.ending)")
            return
        }
        try await storage.createBucket("doomed")
        #expect(try await storage.listObjects("doomed", ObjectListing()).objects.isEmpty)
    }

    @Test("listing the objects of a bucket that does not exist is NOT_FOUND, not an empty page")
    func listingAMissingBucketIsNotFound() async throws {
        let storage = StorageService(
            log: MemoryEventLog(),
            objects: try LocalObjectStore(directory: ScratchSpace.url("sluice-missing-\(UUID())").path))
        await #expect(throws: SluiceError(.notFound, "")) {
            try await storage.listObjects("never-created", ObjectListing())
        }
    }
}

/// The task of a write started from a test hook, once the hook has run.
final class StartedWrite<Written: Sendable>: Sendable {
    let task = Mutex<Task<Written, any Error>?>(nil)
}

/// A log that runs a hook (once) right after the next listing of a bucket's object names
/// returns, so a test can act between a bucket delete's emptiness check and its append.
final class ListingHookLog: DelegatingEventLog {
    let base: any EventLog
    private let hook = Mutex<(@Sendable () async -> Void)?>(nil)

    init(base: MemoryEventLog) { self.base = base }

    func afterNextObjectListing(_ body: @escaping @Sendable () async -> Void) {
        hook.withLock { $0 = body }
    }

    func streamNames(prefix: String, from: String?, limit: Int) async throws(SluiceError) -> [StreamName] {
        let names = try await base.streamNames(prefix: prefix, from: from, limit: limit)
        if prefix.hasPrefix("object/"),
            let body = hook.withLock({ hook in
                defer { hook = nil }; return hook
            })
        {
            await body()
        }
        return names
    }
}
