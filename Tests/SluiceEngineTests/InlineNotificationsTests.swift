import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import SluiceTesting
import Synchronization
import Testing

@Suite("An upload's notification messages are stored by the upload's own append")
struct InlineNotificationsTests {
    static func messages(_ log: any EventLog) async throws -> [RecordedEvent] {
        try await log.query(EventQuery(types: [TopicEvent.TypeName.messagePublished], limit: 100)).events
    }

    /// Published messages once the engine (and its emitter) has run for `duration`.
    static func messageCount(_ pipeline: PipelineTests.Pipeline, afterTheEngineRuns duration: Duration)
        async throws -> Int
    {
        try await pipeline.running {
            try await Task.sleep(for: duration)
            return try await Self.messages(pipeline.log).count
        }
    }

    @Test("the upload and its message are one append: adjacent, marked, and linked by causation and correlation")
    func uploadAndMessageAreOneAppend() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await pipeline.setUp()
        try await pipeline.storage.upload(bucket: "uploads", object: "cat.png", bytes: [1, 2, 3])
        // No emitter is running: the message was stored with the upload.
        let messages = try await Self.messages(pipeline.log)
        #expect(messages.count == 1)
        let object = try #require(
            try await pipeline.log.readStream(StreamName("object/uploads/cat.png"), from: 1, limit: 1).first)
        let message = try #require(messages.first)
        #expect(message.position == object.position + 1)
        #expect(message.timestamp == object.timestamp)
        #expect(InlineNotifications.wereInline(object))
        #expect(message.metadata.causationID == object.id.description)
        #expect(message.metadata.correlationID == object.metadata.correlationID)
        #expect(message.metadata.principal == "sluice-engine")
        guard case .messagePublished(let published) = try TopicEvent(message) else {
            Issue.record("not a published message")
            return
        }
        #expect(published.attributes["objectId"] == "cat.png")
        #expect(published.attributes["eventType"] == "OBJECT_FINALIZE")
    }

    @Test("the emitter passes marked uploads by, so each is notified once")
    func emitterDoesNotRepublish() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await pipeline.setUp()
        for name in ["a.png", "b.png", "c.png"] {
            try await pipeline.storage.upload(bucket: "uploads", object: name, bytes: [1])
        }
        #expect(try await Self.messageCount(pipeline, afterTheEngineRuns: .milliseconds(300)) == 3)
    }

    @Test("a config created while an upload decides is applied to it: the append retries with the new configs")
    func configCreatedMeanwhileIsApplied() async throws {
        let base = MemoryEventLog()
        let log = ConfigRacingLog(base: base)
        let objects = try LocalObjectStore(
            directory: ScratchSpace.url("sluice-inline-\(UUID())").path)
        let storage = StorageService(log: log, objects: objects)
        try await storage.createBucket("uploads")
        try await PubSubService(log: base).createTopic("first")
        try await PubSubService(log: base).createTopic("second")
        _ = try await storage.createNotification(
            NotificationConfig(id: 0, topic: try TopicName("first"), eventTypes: []), bucket: "uploads")
        log.beforeNextMultiStreamAppend {
            _ = try await StorageService(log: base, objects: objects).createNotification(
                NotificationConfig(id: 0, topic: try TopicName("second"), eventTypes: []), bucket: "uploads")
        }
        try await storage.upload(bucket: "uploads", object: "raced.png", bytes: [1])
        let topics = try await Self.messages(base).map(\.stream.rawValue).sorted()
        #expect(topics == ["topic/first", "topic/second"])
    }

    @Test("when a config's topic is gone the upload is left to the emitter, which drops that message")
    func missingTopicLeavesTheChangeToTheEmitter() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await pipeline.setUp()
        try await pipeline.pubsub.deleteTopic("uploads-finalized")
        try await pipeline.storage.upload(bucket: "uploads", object: "orphan.png", bytes: [1])
        let object = try #require(
            try await pipeline.log.readStream(StreamName("object/uploads/orphan.png"), from: 1, limit: 1).first)
        #expect(!InlineNotifications.wereInline(object))
        #expect(try await Self.messageCount(pipeline, afterTheEngineRuns: .milliseconds(200)) == 0)
    }

    @Test("a topic deleted after uploads were notified through it is seen as gone once a second has passed")
    func deletedTopicIsSeenWithinASecond() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await pipeline.setUp()
        try await pipeline.storage.upload(bucket: "uploads", object: "before.png", bytes: [1])
        try await pipeline.pubsub.deleteTopic("uploads-finalized")
        try await Task.sleep(for: TopicExistenceCache.lifetime + .milliseconds(100))
        try await pipeline.storage.upload(bucket: "uploads", object: "after.png", bytes: [1])
        let object = try #require(
            try await pipeline.log.readStream(StreamName("object/uploads/after.png"), from: 1, limit: 1).first)
        #expect(!InlineNotifications.wereInline(object))
        #expect(try await Self.messages(pipeline.log).count == 1)
    }

    @Test("a retried upload with the same idempotency key publishes no second message")
    func retriedUploadPublishesOnce() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await pipeline.setUp()
        let first = try await pipeline.storage.upload(
            bucket: "uploads", object: "once.png", bytes: [1], idempotencyKey: "upload-once")
        let second = try await pipeline.storage.upload(
            bucket: "uploads", object: "once.png", bytes: [1], idempotencyKey: "upload-once")
        #expect(first.generation == second.generation)
        #expect(try await Self.messages(pipeline.log).count == 1)
    }
}

/// A log that runs a hook (once) just before the next multi-stream append reaches the log, so a
/// test can change what that append decided from.
final class ConfigRacingLog: DelegatingEventLog {
    let base: any EventLog
    private let hook = Mutex<(@Sendable () async throws -> Void)?>(nil)

    init(base: MemoryEventLog) { self.base = base }

    func beforeNextMultiStreamAppend(_ body: @escaping @Sendable () async throws -> Void) {
        hook.withLock { $0 = body }
    }

    func append(_ parts: [StreamAppend], idempotencyKey: String?) async throws(SluiceError) -> [AppendResult] {
        if let body = hook.withLock({ hook in
            defer { hook = nil }; return hook
        }) {
            do { try await body() } catch { throw SluiceError(.internalFailure, "the test hook failed: \(error)") }
        }
        return try await base.append(parts, idempotencyKey: idempotencyKey)
    }
}
