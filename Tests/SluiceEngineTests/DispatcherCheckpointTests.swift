import Foundation
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import SluiceTesting
import Testing

@Suite("The function dispatcher checkpoints what it finished and resumes after it")
struct DispatcherCheckpointTests {
    static let interval = Duration.milliseconds(50)

    /// A function that fails every invocation for a message with attribute `kind=slow` until
    /// the file `fixed` exists, and succeeds on every other message.
    static func failsSlowUntilFixed(_ fixed: String) -> [String] {
        [
            "/bin/sh", "-c",
            "input=$(mktemp); cat > \"$input\"; if grep -q slow \"$input\" && [ ! -f '\(fixed)' ]; then "
                + "rm -f \"$input\"; echo boom >&2; exit 3; fi; rm -f \"$input\"; echo ran",
        ]
    }

    /// Retries a second after each failure, so the held message is retried several times while the
    /// test watches the checkpoint; it can only succeed once the test fixes the function.
    static let retryPolicy = RetryPolicy(minimumBackoffSeconds: 1, maximumBackoffSeconds: 1)

    func publish(_ pipeline: PipelineTests.Pipeline, kind: String) async throws -> Int64 {
        try await pipeline.pubsub.publish(
            topic: "jobs",
            [PubsubMessage(messageID: "", publishTime: .init(microseconds: 0), attributes: ["kind": kind], data: [1])])
        let published = try await pipeline.log.query(
            EventQuery(stream: StreamName(unchecked: "topic/jobs"), types: ["message.published"], limit: 1_000))
        return published.events.last?.position ?? 0
    }

    func acked(_ pipeline: PipelineTests.Pipeline) async throws -> [RecordedEvent] {
        try await pipeline.log.query(
            EventQuery(stream: StreamName(unchecked: "function/worker"), types: [FunctionDelivery.TypeName.acked])
        )
        .events
    }

    func waitUntil(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<3_000 where try await !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test("once every message is acknowledged the checkpoint passes them, and a restart runs none of them again")
    func checkpointPassesAcknowledgedMessages() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await FunctionDispatcherTests().deploy(
            pipeline, ["/bin/sh", "-c", "cat > /dev/null; echo ran"], retry: true)
        let last = try await pipeline.running(
            runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval
        ) {
            var last: Int64 = 0
            for _ in 0..<5 { last = try await publish(pipeline, kind: "fast") }
            try await waitUntil { try await DispatcherCheckpoint.latest(in: pipeline.log) >= last }
            return last
        }
        #expect(try await DispatcherCheckpoint.latest(in: pipeline.log) >= last)
        #expect(try await acked(pipeline).count == 5)

        try await pipeline.running(runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval) {
            _ = try await publish(pipeline, kind: "fast")
            try await waitUntil { try await acked(pipeline).count >= 6 }
            try await Task.sleep(for: .milliseconds(200))
        }
        let messageIDs = try await acked(pipeline).map { event in
            (try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])?["messageId"] as? String
        }
        #expect(messageIDs.count == 6)
        #expect(Set(messageIDs).count == 6, "a message was acknowledged twice")
    }

    func failures(_ pipeline: PipelineTests.Pipeline) async throws -> Int {
        try await pipeline.log.query(
            EventQuery(stream: StreamName(unchecked: "function/worker"), types: [FunctionDelivery.TypeName.failed])
        )
        .events.count
    }

    @Test("a message waiting to be retried holds the checkpoint below it, and a restart delivers it")
    func retryingMessageHoldsTheCheckpoint() async throws {
        let pipeline = try PipelineTests.Pipeline()
        let fixed = ScratchSpace.url("sluice-fixed-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: fixed) }
        try await FunctionDispatcherTests().deploy(pipeline, Self.failsSlowUntilFixed(fixed), retry: true)
        let slow = try await pipeline.running(
            runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval, retryPolicy: Self.retryPolicy
        ) {
            let slow = try await publish(pipeline, kind: "slow")
            let fast = try await publish(pipeline, kind: "fast")
            try await waitUntil { try await acked(pipeline).count >= 1 }
            // The mark moves up to the held message and stops there while it is retried.
            try await waitUntil { try await DispatcherCheckpoint.latest(in: pipeline.log) >= slow - 1 }
            let failedBefore = try await failures(pipeline)
            try await waitUntil { try await failures(pipeline) >= failedBefore + 2 }
            #expect(try await failures(pipeline) >= failedBefore + 2, "the held message is being retried")
            #expect(try await acked(pipeline).count == 1, "the slow message fails until the function is fixed")
            #expect(
                try await DispatcherCheckpoint.latest(in: pipeline.log) == slow - 1,
                "the checkpoint passed a message still being delivered")
            #expect(fast > slow)
            return slow
        }
        #expect(try await acked(pipeline).count == 1)
        #expect(try await DispatcherCheckpoint.latest(in: pipeline.log) < slow)

        #expect(FileManager.default.createFile(atPath: fixed, contents: nil))
        try await pipeline.running(
            runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval, retryPolicy: Self.retryPolicy
        ) {
            try await waitUntil { try await acked(pipeline).count >= 2 }
            try await waitUntil { try await DispatcherCheckpoint.latest(in: pipeline.log) > slow }
        }
        #expect(try await acked(pipeline).count == 2, "the restart delivered the held message, and only it")
        #expect(try await DispatcherCheckpoint.latest(in: pipeline.log) > slow)
    }

    @Test("a message given up before the checkpoint is delivered when redriven while the dispatcher was stopped")
    func redriveOfAMessageBeforeTheCheckpoint() async throws {
        let pipeline = try PipelineTests.Pipeline()
        let fixed = ScratchSpace.url("sluice-fixed-\(UUID())").path
        let command = ["/bin/sh", "-c", "cat > /dev/null; [ -f '\(fixed)' ] && echo ran && exit 0; exit 3"]
        try await FunctionDispatcherTests().deploy(pipeline, command, retry: false)
        let message = try await pipeline.running(
            runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval
        ) {
            let message = try await publish(pipeline, kind: "once")
            try await waitUntil { try await DispatcherCheckpoint.latest(in: pipeline.log) >= message }
            return message
        }
        #expect(try await DispatcherCheckpoint.latest(in: pipeline.log) >= message, "the given-up message is finished")
        #expect(FileManager.default.createFile(atPath: fixed, contents: nil))
        let outcome = try await DeadLetterRedrive.redrive(
            "eventarc-worker", log: pipeline.log, principal: "alice", reason: "fixed")
        #expect(outcome.messageIDs.count == 1)

        try await pipeline.running(runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval) {
            try await waitUntil { try await acked(pipeline).count >= 1 }
        }
        #expect(try await acked(pipeline).count == 1)
    }

    @Test("a restart reads the delivery records after the checkpoint, not every message the function ever took")
    func restartReadsOnlyRecordsAfterTheCheckpoint() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await FunctionDispatcherTests().deploy(
            pipeline, ["/bin/sh", "-c", "cat > /dev/null; echo ran"], retry: true)
        try await pipeline.running(runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval) {
            for _ in 0..<20 { _ = try await publish(pipeline, kind: "fast") }
            try await waitUntil { try await acked(pipeline).count >= 20 }
            // A later message the function does not take moves the mark past the acknowledgements.
            try await pipeline.pubsub.createTopic("elsewhere")
            let ids = try await pipeline.pubsub.publish(
                topic: "elsewhere",
                [PubsubMessage(messageID: "", publishTime: .init(microseconds: 0), attributes: ["kind": "x"])])
            let later =
                try await pipeline.log.query(EventQuery(types: ["message.published"], limit: 1_000))
                .events.last?.position ?? 0
            #expect(ids.count == 1)
            try await waitUntil { try await DispatcherCheckpoint.latest(in: pipeline.log) >= later }
        }
        #expect(try await acked(pipeline).count == 20)

        let counting = ReadCountingLog(pipeline.log)
        try await pipeline.running(
            runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval, dispatcherLog: counting
        ) {
            _ = try await publish(pipeline, kind: "fast")
            try await waitUntil { try await acked(pipeline).count >= 21 }
        }
        #expect(try await acked(pipeline).count == 21)
        #expect(counting.deliveryRecordsRead <= 1, "the restart read the records of checkpointed messages")
    }

    @Test("a message redriven before the checkpoint and again after a restart is recorded under its third round")
    func redriveCountSurvivesTheCheckpoint() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await FunctionDispatcherTests().deploy(
            pipeline, ["/bin/sh", "-c", "cat > /dev/null; exit 3"], retry: false)
        try await pipeline.running(runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval) {
            _ = try await publish(pipeline, kind: "once")
            try await waitUntil { try await failures(pipeline) >= 1 }
            let first = try await DeadLetterRedrive.redrive(
                "eventarc-worker", log: pipeline.log, principal: "alice", reason: "first try")
            #expect(first.messageIDs.count == 1)
            try await waitUntil { try await failures(pipeline) >= 2 }
            let redrive = try #require(first.position)
            try await waitUntil { try await DispatcherCheckpoint.latest(in: pipeline.log) >= redrive }
            #expect(try await DispatcherCheckpoint.latest(in: pipeline.log) >= redrive, "the first redrive is finished")
        }
        #expect(try await failures(pipeline) == 2)

        let second = try await DeadLetterRedrive.redrive(
            "eventarc-worker", log: pipeline.log, principal: "alice", reason: "second try")
        #expect(second.messageIDs.count == 1)
        try await pipeline.running(runtimes: FunctionDispatcherTests.runtimes, checkpointInterval: Self.interval) {
            try await waitUntil { try await failures(pipeline) >= 3 }
        }
        #expect(try await failures(pipeline) == 3, "the third round's failure was taken for the second's")
    }
}
