import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import SluiceStack
import SluiceTesting
import Testing

@Suite("Applying a stack creates what is missing, updates what differs and deletes what was dropped")
struct StackApplierTests {
    static let stack = """
        name: demo
        topics:
          - name: uploads-finalized
        buckets:
          - name: uploads
            notifications:
              - topic: uploads-finalized
                eventTypes: [OBJECT_FINALIZE]
        workflows:
          - name: echo
            sourceContents: |
              main:
                params: [event]
                steps:
                  - done:
                      return: ${event}
        functions:
          - name: on-upload
            triggerTopic: uploads-finalized
            startWorkflow: echo
        models:
          - name: tiny
            file: tiny.json
        outputs:
          bucket: uploads
        """
    static let tiny = Array(#"{"format":"sluice.linear.v1","inputs":1,"weights":[2],"bias":1}"#.utf8)

    struct Fixture {
        let log = MemoryEventLog()
        let models = MemoryModelInstaller()
        let applier: StackApplier

        init() throws {
            let directory = ScratchSpace.url("sluice-stack-\(UUID())").path
            applier = StackApplier(
                log: log, storage: StorageService(log: log, objects: try LocalObjectStore(directory: directory)),
                catalog: WorkflowCatalog(log: log), models: models)
        }

        func desired(_ yaml: String = StackApplierTests.stack) throws -> StackDesired {
            try StackDesired(
                StackFile(yaml: yaml, path: "stack.yaml"), source: EmbeddedStackSource(files: ["tiny.json": tiny]))
        }
    }

    @Test("the first apply creates every resource and a second apply of the same file changes nothing")
    func applyIsIdempotent() async throws {
        let fixture = try Fixture()
        let first = try await fixture.applier.apply(try fixture.desired())
        #expect(
            first.changes.map(\.line) == [
                "+ topic/uploads-finalized", "+ bucket/uploads", "+ workflow/echo", "+ function/on-upload",
                "+ model/tiny",
            ])
        let head = await fixture.log.headPosition()
        let second = try await fixture.applier.apply(try fixture.desired())
        #expect(!second.hasChanges)
        #expect(await fixture.log.headPosition() == head)
        #expect(
            try await StorageService(
                log: fixture.log, objects: LocalObjectStore(directory: ScratchSpace.url("x\(UUID())").path)
            )
            .bucket("uploads").notificationConfigs.count == 1)
    }

    @Test("a changed workflow is a new revision and a dropped function is deleted")
    func changesAndDeletions() async throws {
        let fixture = try Fixture()
        try await fixture.applier.apply(try fixture.desired())
        let changed = Self.stack
            .replacingOccurrences(of: "return: ${event}", with: "return: 42")
            .replacingOccurrences(
                of: "functions:\n  - name: on-upload\n    triggerTopic: uploads-finalized\n    startWorkflow: echo\n",
                with: "")
        let plan = try await fixture.applier.plan(try fixture.desired(changed))
        #expect(
            plan.changes.filter { $0.action != .unchanged }.map(\.line) == [
                "~ workflow/echo (a new revision)", "- function/on-upload",
            ])
        try await fixture.applier.apply(try fixture.desired(changed))
        #expect(try await FunctionsService(log: fixture.log).function("on-upload") == nil)
        #expect(try await WorkflowCatalog(log: fixture.log).latestRevision(of: "echo") == 2)
    }

    @Test("a workflow's service account is deployed with it, and a changed account is a new revision")
    func serviceAccountIsApplied() async throws {
        let fixture = try Fixture()
        let acting = Self.stack.replacingOccurrences(
            of: "  - name: echo\n", with: "  - name: echo\n    serviceAccount: runner@demo.iam.gserviceaccount.com\n")
        try await fixture.applier.apply(try fixture.desired(acting))
        let catalog = WorkflowCatalog(log: fixture.log)
        #expect(try await catalog.serviceAccount(of: "echo", revision: 1) == "runner@demo.iam.gserviceaccount.com")
        let plan = try await fixture.applier.plan(try fixture.desired())
        #expect(plan.changes.filter { $0.action != .unchanged }.map(\.line) == ["~ workflow/echo (a new revision)"])
        try await fixture.applier.apply(try fixture.desired())
        #expect(try await catalog.serviceAccount(of: "echo", revision: 2) == WorkflowCatalog.defaultServiceAccount)
    }

    @Test("a changed notification config replaces the old one on the bucket")
    func notificationChangeIsReconciled() async throws {
        let fixture = try Fixture()
        try await fixture.applier.apply(try fixture.desired())
        let changed = Self.stack.replacingOccurrences(of: "[OBJECT_FINALIZE]", with: "[OBJECT_DELETE]")
        let plan = try await fixture.applier.apply(try fixture.desired(changed))
        #expect(
            plan.changes.contains(
                .init(.update, "bucket/uploads", "1 notification config(s) to add, 1 notification config(s) to remove"))
        )
        let storage = StorageService(
            log: fixture.log, objects: try LocalObjectStore(directory: ScratchSpace.url("y\(UUID())").path))
        #expect(try await storage.bucket("uploads").notificationConfigs.map(\.eventTypes) == [[.objectDelete]])
    }

    @Test("destroy deletes everything the stack created")
    func destroyDeletesAll() async throws {
        let fixture = try Fixture()
        try await fixture.applier.apply(try fixture.desired())
        let deleted = try await fixture.applier.destroy("demo")
        #expect(deleted.count == 5)
        #expect(try await PubSubService(log: fixture.log).topicExists("uploads-finalized") == false)
        #expect(await fixture.models.files.isEmpty)
        #expect(try await fixture.applier.owned(by: "demo").isEmpty)
    }

    @Test(
        "a stack file with an unknown key, a bad name or two targets is refused before anything is applied",
        arguments: [
            ("name: demo\nbuckets:\n  - name: uploads\n    versoning: true\n", "unknown key 'versoning' in buckets[0]"),
            ("name: demo\ntopcs: []\n", "unknown key 'topcs'"),
            ("name: demo\nbuckets:\n  - name: UPPER\n", "invalid bucket name"),
            (
                "name: demo\nfunctions:\n  - name: f\n    triggerTopic: topic\n    startWorkflow: w\n    url: http://x\n",
                "exactly one of startWorkflow, url or command"
            ),
            (
                "name: demo\nmodels:\n  - name: m\n    file: tiny.json\n    url: http://127.0.0.1:9000/p\n",
                "exactly one of file, url or command"
            ),
            ("name: demo\nmodels:\n  - name: m\n    url: ftp://models/p\n", "is not an http(s) URL"),
            (
                "name: demo\nmodels:\n  - name: m\n    url: http://h/p\n    workers: 2\n",
                "workers applies to command only"
            ),
        ])
    func badStackFilesAreRefused(_ yaml: String, _ message: String) throws {
        do {
            _ = try StackDesired(StackFile(yaml: yaml, path: "s.yaml"), source: EmbeddedStackSource(files: [:]))
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
