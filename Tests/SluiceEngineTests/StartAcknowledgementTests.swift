import Foundation
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import SluiceWorkflows
import Testing

@Suite("A start-workflow function starts the execution and acknowledges the delivery in one append")
struct StartAcknowledgementTests {
    static let noted = StreamName(unchecked: "function/noted")

    static func runner(_ log: MemoryEventLog) async throws -> ExecutionRunner {
        let catalog = WorkflowCatalog(log: log)
        try await catalog.deploy(name: "flow", source: "main:\n  steps:\n    - done:\n        return: 1\n")
        return ExecutionRunner(log: log, catalog: catalog, performer: UnroutedEffectPerformer())
    }

    static func note() -> StreamAppend { StreamAppend([NewEvent(type: "delivery.acked")], to: noted) }

    @Test("a new execution is stored with the parts alongside it, adjacent and at one time")
    func newExecutionIsStoredWithItsAcknowledgement() async throws {
        let log = MemoryEventLog()
        let runner = try await Self.runner(log)
        let id = try ExecutionID("run-1")
        #expect(
            try await runner.start(
                id, ExecutionStart(workflow: "flow", revision: 1, argument: nil), alongside: [Self.note()],
                idempotencyKey: "ack/run-1"))
        let started = try #require(await log.readStream(id.stream, from: 1, limit: 1).first)
        let acked = try #require(await log.readStream(Self.noted, from: 1, limit: 1).first)
        #expect(acked.position == started.position + 1)
        #expect(acked.timestamp == started.timestamp)
    }

    @Test("starting an execution that exists appends nothing, alongside parts included, and returns false")
    func existingExecutionAppendsNothing() async throws {
        let log = MemoryEventLog()
        let runner = try await Self.runner(log)
        let id = try ExecutionID("run-1")
        try await runner.start(id, ExecutionStart(workflow: "flow", revision: 1, argument: nil))
        let head = await log.headPosition()
        #expect(
            !(try await runner.start(
                id, ExecutionStart(workflow: "flow", revision: 1, argument: nil), alongside: [Self.note()],
                idempotencyKey: "ack/run-1")))
        #expect(await log.headPosition() == head)
    }

    @Test("a start repeated under its key appends nothing and returns false")
    func repeatedStartIsADuplicate() async throws {
        let log = MemoryEventLog()
        let runner = try await Self.runner(log)
        let id = try ExecutionID("run-1")
        let start = ExecutionStart(workflow: "flow", revision: 1, argument: nil)
        #expect(try await runner.start(id, start, alongside: [Self.note()], idempotencyKey: "ack/run-1"))
        #expect(!(try await runner.start(id, start, alongside: [Self.note()], idempotencyKey: "ack/run-1")))
        #expect(await log.streamVersion(Self.noted) == 1)
    }

    @Test("through the pipeline, an upload's execution.started and delivery.acked are one append")
    func pipelineAcknowledgesWithTheStart() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await pipeline.setUp()
        let events = try await pipeline.running {
            try await pipeline.storage.upload(bucket: "uploads", object: "cat.png", bytes: [1])
            for _ in 0..<300 where try await pipeline.count(FunctionDelivery.TypeName.acked) == 0 {
                try await Task.sleep(for: .milliseconds(10))
            }
            return try await pipeline.log.query(
                EventQuery(types: ["execution.started", FunctionDelivery.TypeName.acked], limit: 10)
            ).events
        }
        #expect(events.map(\.type) == ["execution.started", FunctionDelivery.TypeName.acked])
        // The execution ran to its end before the append (its workflow has no outside effect),
        // so all of its events lie between the start and the acknowledgement.
        let between = await pipeline.log.readAll(
            from: events[0].position, limit: Int(events[1].position - events[0].position))
        #expect(between.allSatisfy { $0.stream == events[0].stream })
        #expect(between.last?.type == "execution.succeeded")
        let acked = try JSONSerialization.jsonObject(with: Data(events[1].data.utf8)) as? [String: Any]
        #expect(acked?["executionId"] as? String == String(events[0].stream.rawValue.dropFirst("execution/".count)))
    }
}
