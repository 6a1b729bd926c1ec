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

@Suite("A workflow's storage insert is appended in the same step as the execution's record of it")
struct PlannedWritesTests {
    /// A runner whose workflows reach Sluice buckets through the storage connector, on `log`.
    struct Fixture {
        /// Every append gets a time of its own, so equal times mean one append.
        let base = MemoryEventLog(now: { Self.ticks.add(1, ordering: .relaxed).newValue })
        static let ticks = Atomic<Int64>(1_700_000_000_000_000)
        let log: ConfigRacingLog
        let directory = ScratchSpace.url("sluice-planned-\(UUID())").path
        let storage: StorageService
        let catalog: WorkflowCatalog
        let runner: ExecutionRunner

        init() throws {
            log = ConfigRacingLog(base: base)
            storage = StorageService(log: log, objects: try LocalObjectStore(directory: directory))
            catalog = WorkflowCatalog(log: log)
            let router = GoogleEffectRouter(
                models: nil, topics: nil, executions: nil, storage: StorageConnector(storage: storage),
                next: UnroutedEffectPerformer())
            runner = ExecutionRunner(
                log: log, catalog: catalog,
                performer: SystemEffectPerformer(now: WallClock.microsecondsSinceEpoch, next: router))
        }

        /// Deploys `steps` as workflow `flow`, starts it and runs it to its end.
        func run(_ steps: String) async throws -> ExecutionOutcome {
            try await storage.createBucket("results")
            try await catalog.deploy(name: "flow", source: "main:\n  steps:\n" + steps)
            let id = try ExecutionID("run-1")
            try await runner.start(id, ExecutionStart(workflow: "flow", revision: 1, argument: nil))
            return try await runner.run(id)
        }

        func events(of stream: String) async throws -> [RecordedEvent] {
            try await base.readStream(StreamName(stream), from: 1, limit: 100)
        }
    }

    static let insert = """
            - store:
                call: googleapis.storage.v1.objects.insert
                args:
                  bucket: results
                  name: out.json
                  body:
                    label: 7
                result: stored

        """

    static let returnGeneration = "    - done:\n        return: ${stored.generation}\n"

    @Test("the object's events come right before the execution's record, at one commit time")
    func insertIsOneAppendWithTheExecutionsRecord() async throws {
        let fixture = try Fixture()
        let outcome = try await fixture.run(Self.insert + Self.returnGeneration)
        let object = try #require(try await fixture.events(of: "object/results/out.json").first)
        let execution = try await fixture.events(of: "execution/run-1")
        let record = try #require(execution.first { $0.position == object.position + 1 })
        #expect(record.timestamp == object.timestamp)
        #expect(execution.last?.type == "execution.succeeded")
        #expect(execution.last?.timestamp == object.timestamp)
        let live = try await fixture.storage.object(bucket: "results", object: "out.json")
        #expect(outcome.ending == .succeeded(.string(String(live.generation))))
    }

    @Test("a workflow that reads what it just inserted finds it")
    func executionReadsItsOwnWrite() async throws {
        let fixture = try Fixture()
        let outcome = try await fixture.run(
            Self.insert + """
                    - read:
                        call: googleapis.storage.v1.objects.get
                        args:
                          bucket: results
                          object: out.json
                          alt: media
                        result: read
                    - done:
                        return: ${read.label}

                """)
        #expect(outcome.ending == .succeeded(7))
    }

    @Test("when the object changes before the append, the run starts again and stores a newer generation")
    func lostRaceRunsAgainWithTheCurrentObject() async throws {
        let fixture = try Fixture()
        let racing = StorageService(log: fixture.base, objects: try LocalObjectStore(directory: fixture.directory))
        fixture.log.beforeNextMultiStreamAppend {
            try await racing.upload(bucket: "results", object: "out.json", bytes: Array("{}".utf8))
        }
        let outcome = try await fixture.run(Self.insert + Self.returnGeneration)
        let live = try await fixture.storage.object(bucket: "results", object: "out.json")
        #expect(outcome.ending == .succeeded(.string(String(live.generation))))
        #expect(live.size == Int64(#"{"label":7}"#.utf8.count))
        let finalized = try await fixture.events(of: "object/results/out.json").filter { $0.type == "object.finalized" }
        #expect(finalized.count == 2)
    }
}
