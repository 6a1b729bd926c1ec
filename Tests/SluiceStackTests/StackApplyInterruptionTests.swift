import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import SluiceStack
import SluiceTesting
import Synchronization
import Testing

/// Stands for a process killed with kill -9 in the middle of an apply: from the first append to a
/// stream whose name holds `cutAt` on, nothing more reaches the log.
final class CutLog: DelegatingEventLog {
    let base: any EventLog
    private let cutAt: String
    private let cut = Mutex(false)

    init(_ base: any EventLog, cutAt: String) {
        self.base = base
        self.cutAt = cutAt
    }

    private func pass(_ streams: [StreamName]) throws(SluiceError) {
        let refused = cut.withLock { cut in
            if streams.contains(where: { $0.rawValue.contains(cutAt) }) { cut = true }
            return cut
        }
        if refused { throw SluiceError(.unavailable, "the process was killed") }
    }

    func append(
        _ events: [NewEvent], to stream: StreamName, expectedVersion: ExpectedVersion, idempotencyKey: String?
    ) async throws(SluiceError) -> AppendResult {
        try pass([stream])
        return try await base.append(
            events, to: stream, expectedVersion: expectedVersion, idempotencyKey: idempotencyKey)
    }

    func append(_ parts: [StreamAppend], idempotencyKey: String?) async throws(SluiceError) -> [AppendResult] {
        try pass(parts.map(\.stream))
        return try await base.append(parts, idempotencyKey: idempotencyKey)
    }
}

@Suite("An apply cut short leaves the stack owning what it had created")
struct StackApplyInterruptionTests {
    static let stack = """
        name: cut
        topics:
          - name: cut-a
          - name: cut-b
          - name: cut-c
          - name: cut-d
        subscriptions:
          - name: cut-a-reader
            topic: cut-a
        """
    let log = MemoryEventLog()
    let directory = ScratchSpace.url("sluice-stack-cut-\(UUID())").path

    func applier(on log: any EventLog) throws -> StackApplier {
        StackApplier(
            log: log, storage: StorageService(log: log, objects: try LocalObjectStore(directory: directory)),
            catalog: WorkflowCatalog(log: log), models: MemoryModelInstaller())
    }

    static func desired(_ yaml: String = stack) throws -> StackDesired {
        try StackDesired(StackFile(yaml: yaml, path: "stack.yaml"), source: EmbeddedStackSource(files: [:]))
    }

    /// Applies ``stack`` until the process "dies" creating topic cut-c: cut-a and cut-b exist.
    func applyCutShort() async throws {
        let cut = try applier(on: CutLog(log, cutAt: "cut-c"))
        await #expect(throws: SluiceError(.unavailable, "")) { try await cut.apply(try Self.desired()) }
        let pubsub = PubSubService(log: log)
        #expect(try await pubsub.topicExists("cut-a"))
        #expect(try await pubsub.topicExists("cut-b"))
        #expect(try await !pubsub.topicExists("cut-c"))
    }

    @Test("after an apply cut short, destroy removes the resources the apply had created")
    func destroyRemovesWhatTheCutApplyCreated() async throws {
        try await applyCutShort()

        let destroyed = try await applier(on: log).destroy("cut")

        #expect(Set(destroyed).isSuperset(of: ["topic/cut-a", "topic/cut-b"]))
        let pubsub = PubSubService(log: log)
        #expect(try await !pubsub.topicExists("cut-a"))
        #expect(try await !pubsub.topicExists("cut-b"))
    }

    @Test("after an apply cut short, a file that no longer declares what it created plans their deletion")
    func droppedResourcesOfTheCutApplyAreDeleted() async throws {
        try await applyCutShort()

        let plan = try await applier(on: log).plan(try Self.desired("name: cut\ntopics:\n  - name: cut-d\n"))

        #expect(
            plan.changes.filter { $0.action == .delete }.map(\.resource).sorted() == ["topic/cut-a", "topic/cut-b"])
    }

    @Test("after an apply cut short, applying the file again completes it and the stack owns every resource")
    func reapplyCompletesTheCutApply() async throws {
        try await applyCutShort()
        let applier = try applier(on: log)

        let plan = try await applier.apply(try Self.desired())

        #expect(
            plan.changes.filter { $0.action == .create }.map(\.resource) == [
                "topic/cut-c", "topic/cut-d", "subscription/cut-a-reader",
            ])
        #expect(try await applier.owned(by: "cut") == Self.desired().resources)
        #expect(try await !applier.plan(try Self.desired()).hasChanges)
    }
}
