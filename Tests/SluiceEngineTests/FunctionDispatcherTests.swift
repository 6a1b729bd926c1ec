import Foundation
import SluiceAdapters
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import SluiceTesting
import Testing

@Suite("Command functions run per message, retry on failure and record what they printed")
struct FunctionDispatcherTests {
    static let runtimes: FunctionDispatcher.Runtimes = { target in
        guard case .command(let arguments) = target else { return nil }
        return CommandFunctionRuntime(command: arguments)
    }

    /// A shell function that fails (exit 3, printing to stderr) until `marker` exists, creating it.
    static func failsOnce(marker: String) -> [String] {
        [
            "/bin/sh", "-c",
            "cat > /dev/null; if [ -f '\(marker)' ]; then echo handled; exit 0; fi; touch '\(marker)'; echo boom >&2; exit 3",
        ]
    }

    func deploy(_ pipeline: PipelineTests.Pipeline, _ command: [String], retry: Bool) async throws {
        try await pipeline.pubsub.createTopic("jobs")
        try await pipeline.functions.deploy(
            FunctionConfig(
                name: try FunctionName("worker"), triggerTopic: try TopicName("jobs"),
                target: .command(arguments: command), retryOnFailure: retry, timeoutSeconds: 10))
    }

    func functionEvents(_ pipeline: PipelineTests.Pipeline, until type: String) async throws -> [RecordedEvent] {
        for _ in 0..<500 {
            let events = await pipeline.log.readStream(StreamName(unchecked: "function/worker"), from: 1, limit: 100)
            if events.contains(where: { $0.type == type }) { return events }
            try await Task.sleep(for: .milliseconds(10))
        }
        return await pipeline.log.readStream(StreamName(unchecked: "function/worker"), from: 1, limit: 100)
    }

    @Test("a failing invocation is retried and the second attempt acknowledges the message")
    func failureIsRetried() async throws {
        let pipeline = try PipelineTests.Pipeline()
        let marker = ScratchSpace.url("sluice-marker-\(UUID())").path
        try await deploy(pipeline, Self.failsOnce(marker: marker), retry: true)
        let events = try await pipeline.running(runtimes: Self.runtimes) {
            try await pipeline.pubsub.publish(
                topic: "jobs", [PubsubMessage(messageID: "", publishTime: .init(microseconds: 0), data: [1])])
            return try await functionEvents(pipeline, until: FunctionDelivery.TypeName.acked)
        }
        #expect(
            events.map(\.type) == [
                "function.deployed", "function.output", "delivery.failed", "function.output", "delivery.acked",
            ])
        #expect(events[1].data.contains("boom"))
        #expect(events[3].data.contains("handled"))
        #expect(events[4].data.contains("\"attempt\":2"))
    }

    @Test("without retry on failure, a failed message is given up after one attempt")
    func noRetryGivesUp() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await deploy(pipeline, ["/bin/sh", "-c", "cat > /dev/null; exit 1"], retry: false)
        let events = try await pipeline.running(runtimes: Self.runtimes) {
            try await pipeline.pubsub.publish(
                topic: "jobs", [PubsubMessage(messageID: "", publishTime: .init(microseconds: 0), data: [1])])
            let events = try await functionEvents(pipeline, until: FunctionDelivery.TypeName.failed)
            try await Task.sleep(for: .milliseconds(200))
            return events
        }
        #expect(events.map(\.type) == ["function.deployed", "delivery.failed"])
        #expect(!events[1].data.contains("retryAtMicros"))
    }

    @Test("a restart does not run an acknowledged message again")
    func restartSkipsAcknowledged() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await deploy(pipeline, ["/bin/sh", "-c", "cat > /dev/null; echo ran"], retry: true)
        try await pipeline.running(runtimes: Self.runtimes) {
            try await pipeline.pubsub.publish(
                topic: "jobs", [PubsubMessage(messageID: "", publishTime: .init(microseconds: 0), data: [1])])
            _ = try await functionEvents(pipeline, until: FunctionDelivery.TypeName.acked)
        }
        try await pipeline.running(runtimes: Self.runtimes) { try await Task.sleep(for: .milliseconds(300)) }
        let events = await pipeline.log.readStream(StreamName(unchecked: "function/worker"), from: 1, limit: 100)
        #expect(events.map(\.type) == ["function.deployed", "function.output", "delivery.acked"])
    }

    @Test("a crashing command is redelivered, dead-lettered after maxDeliveryAttempts, and runs again once redriven")
    func crashDeadLettersThenRedrives() async throws {
        let pipeline = try PipelineTests.Pipeline()
        let directory = ScratchSpace.url("sluice-crash-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Counts its runs, and kills itself until the "fixed" file exists.
        let command = [
            "/bin/sh", "-c",
            "cat > /dev/null; echo run >> '\(directory)/runs'; [ -f '\(directory)/fixed' ] && exit 0; kill -KILL $$",
        ]
        try await pipeline.pubsub.createTopic("jobs")
        try await pipeline.pubsub.createTopic("jobs-dead")
        try await pipeline.functions.deploy(
            FunctionConfig(
                name: try FunctionName("worker"), triggerTopic: try TopicName("jobs"),
                target: .command(arguments: command), retryOnFailure: true, timeoutSeconds: 10,
                deadLetterTopic: try TopicName("jobs-dead"), maxDeliveryAttempts: 5))
        let runs = { () -> Int in
            ((try? String(contentsOfFile: directory + "/runs", encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        try await pipeline.running(runtimes: Self.runtimes) {
            try await pipeline.pubsub.publish(
                topic: "jobs", [PubsubMessage(messageID: "", publishTime: .init(microseconds: 0), data: [1])])
            var failures: [RecordedEvent] = []
            for _ in 0..<500 where failures.count < 5 {
                failures = await pipeline.log.readStream(StreamName(unchecked: "function/worker"), from: 1, limit: 100)
                    .filter { $0.type == FunctionDelivery.TypeName.failed }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(failures.count == 5)
            #expect(failures.last?.data.contains("\"deadLetterTopic\":\"jobs-dead\"") == true)
            #expect(failures.last?.data.contains("retryAtMicros") == false)
            #expect(failures.first?.data.contains("killed by signal") == true)

            #expect(FileManager.default.createFile(atPath: directory + "/fixed", contents: nil))
            let outcome = try await DeadLetterRedrive.redrive(
                "eventarc-worker", log: pipeline.log, principal: "alice", reason: "worker fixed")
            #expect(outcome.messageIDs.count == 1)
            let events = try await functionEvents(pipeline, until: FunctionDelivery.TypeName.acked)
            #expect(events.last?.data.contains("\"attempt\":1") == true)
        }
        try await pipeline.running(runtimes: Self.runtimes) { try await Task.sleep(for: .milliseconds(300)) }
        #expect(runs() == 6)

        let dead = try await pipeline.log.query(
            EventQuery(stream: StreamName(unchecked: "topic/jobs-dead"), types: ["message.published"], limit: 10))
        #expect(dead.events.count == 1)
        guard let event = dead.events.first, case .messagePublished(let message) = try TopicEvent(event) else {
            Issue.record("nothing was dead-lettered")
            return
        }
        #expect(message.attributes["CloudPubSubDeadLetterSourceSubscription"] == "eventarc-worker")
        #expect(message.attributes["CloudPubSubDeadLetterSourceDeliveryCount"] == "5")
        let redrive = try #require(
            try await pipeline.log.query(EventQuery(types: [FunctionDelivery.TypeName.redriven], limit: 10)).events
                .first)
        #expect(redrive.metadata.principal == "alice")
        #expect(redrive.data.contains("worker fixed"))
    }

    @Test("maxDeliveryAttempts outside 5-100, or without retry, is refused")
    func deadLetterSettingsAreValidated() throws {
        let base = FunctionConfig(
            name: try FunctionName("worker"), triggerTopic: try TopicName("jobs"), target: .command(arguments: ["x"]),
            retryOnFailure: true, maxDeliveryAttempts: 4)
        #expect(throws: SluiceError.self) { try base.validate() }
        var noRetry = base
        noRetry.maxDeliveryAttempts = 5
        noRetry.retryOnFailure = false
        #expect(throws: SluiceError.self) { try noRetry.validate() }
    }
}
