import Foundation
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import Testing

@Suite("Object changes publish the notifications their bucket's configs ask for")
struct NotificationEmitterTests {
    func publishedMessages(_ pipeline: PipelineTests.Pipeline, count: Int) async throws -> [PubsubMessage] {
        var events: [RecordedEvent] = []
        for _ in 0..<300 {
            events = try await pipeline.log.query(EventQuery(types: [TopicEvent.TypeName.messagePublished], limit: 100))
                .events
            if events.count >= count { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try events.compactMap { event in
            guard case .messagePublished(let message) = try TopicEvent(event) else { return nil }
            return message
        }
    }

    func setUp(_ pipeline: PipelineTests.Pipeline, types: [NotificationEventType] = []) async throws {
        try await pipeline.storage.createBucket("uploads")
        try await pipeline.pubsub.createTopic("changes")
        _ = try await pipeline.storage.createNotification(
            NotificationConfig(
                id: 0, topic: try TopicName("changes"), eventTypes: types, customAttributes: ["team": "ml"]),
            bucket: "uploads")
    }

    @Test("overwriting an object notifies OBJECT_FINALIZE for the new and OBJECT_DELETE for the old generation")
    func overwriteNotifiesFinalizeAndDelete() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await setUp(pipeline)
        let published = try await pipeline.running {
            let first = try await pipeline.storage.upload(bucket: "uploads", object: "a.txt", bytes: [1])
            let second = try await pipeline.storage.upload(bucket: "uploads", object: "a.txt", bytes: [2])
            return (first.generation, second.generation, try await publishedMessages(pipeline, count: 3))
        }
        let (first, second, messages) = published
        // Notifications carry no ordering key, so like GCS's they may arrive in any order: the
        // emitter notifies up to 64 changes at once, and under load the delete of the old
        // generation was published before the finalize of the new one.
        let notified = Set(
            messages.map {
                [
                    $0.attributes["eventType"], $0.attributes["objectGeneration"], $0.attributes["overwroteGeneration"],
                    $0.attributes["overwrittenByGeneration"],
                ]
            })
        #expect(
            notified == [
                ["OBJECT_FINALIZE", String(first), nil, nil],
                ["OBJECT_FINALIZE", String(second), String(first), nil],
                ["OBJECT_DELETE", String(first), nil, String(second)],
            ])
        #expect(
            messages.allSatisfy { $0.attributes["team"] == "ml" && $0.attributes["payloadFormat"] == "JSON_API_V1" })
        #expect(
            messages.allSatisfy {
                $0.attributes["notificationConfig"] == "projects/_/buckets/uploads/notificationConfigs/1"
            })
    }

    @Test("a metadata patch notifies OBJECT_METADATA_UPDATE with the new metageneration in the payload")
    func metadataUpdateIsNotified() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await setUp(pipeline, types: [.objectMetadataUpdate])
        let messages = try await pipeline.running {
            try await pipeline.storage.upload(bucket: "uploads", object: "b.txt", bytes: [1])
            try await pipeline.storage.updateMetadata(
                bucket: "uploads", object: "b.txt", ObjectMetadataPatch(metadata: ["label": "cat"]))
            return try await publishedMessages(pipeline, count: 1)
        }
        #expect(messages.count == 1)
        #expect(messages.first?.attributes["eventType"] == "OBJECT_METADATA_UPDATE")
        let resource = try JSONSerialization.jsonObject(with: Data(messages.first?.data ?? [])) as? [String: Any]
        #expect(resource?["metageneration"] as? String == "2")
        #expect((resource?["metadata"] as? [String: String])?["label"] == "cat")
    }

    @Test("deleting an object in a versioned bucket notifies OBJECT_ARCHIVE, not OBJECT_DELETE")
    func versionedDeleteArchives() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await pipeline.storage.createBucket("uploads", versioningEnabled: true)
        try await pipeline.pubsub.createTopic("changes")
        _ = try await pipeline.storage.createNotification(
            NotificationConfig(id: 0, topic: try TopicName("changes"), eventTypes: [.objectArchive, .objectDelete]),
            bucket: "uploads")
        let messages = try await pipeline.running {
            try await pipeline.storage.upload(bucket: "uploads", object: "c.txt", bytes: [1])
            try await pipeline.storage.deleteObject(bucket: "uploads", object: "c.txt")
            return try await publishedMessages(pipeline, count: 1)
        }
        #expect(messages.map { $0.attributes["eventType"] } == ["OBJECT_ARCHIVE"])
    }

    @Test("a config deleted before a change does not notify it, even when the emitter catches up later")
    func deletedConfigsDoNotNotify() async throws {
        let pipeline = try PipelineTests.Pipeline()
        try await setUp(pipeline)
        try await pipeline.storage.upload(bucket: "uploads", object: "before.txt", bytes: [1])
        try await pipeline.storage.deleteNotification(id: 1, bucket: "uploads")
        try await pipeline.storage.upload(bucket: "uploads", object: "after.txt", bytes: [1])
        let messages = try await pipeline.running {
            try await Task.sleep(for: .milliseconds(200))
            return try await publishedMessages(pipeline, count: 1)
        }
        #expect(messages.map { $0.attributes["objectId"] } == ["before.txt"])
    }
}
