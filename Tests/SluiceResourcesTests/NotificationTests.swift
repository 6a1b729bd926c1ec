import Foundation
import SluiceCore
import SluiceResources
import Testing

@Suite struct NotificationTests {
    static func config(
        _ id: Int,
        types: [NotificationEventType] = [],
        prefix: String? = nil,
        format: NotificationPayloadFormat = .jsonAPIV1,
        custom: [String: String] = [:]
    ) -> NotificationConfig {
        NotificationConfig(
            id: id, topic: Fixtures.topic(), eventTypes: types, customAttributes: ExactStringMap(custom),
            payloadFormat: format,
            objectNamePrefix: prefix
        )
    }

    static func changes(versioned: Bool) throws -> [ObjectChange] {
        let decider = Fixtures.decider(versioned: versioned)
        let first = try decider.finalize(
            Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0))
        let state = try ObjectState.folding(first)
        let second = try decider.finalize(Fixtures.upload(), state: state, generation: 200, now: Fixtures.time(1))
        return try ObjectChange.changes(from: second, applyingTo: state)
    }

    @Test func aFinalizeCarriesExactlyTheDocumentedAttributes() throws {
        let decider = Fixtures.decider()
        let events = try decider.finalize(
            Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0))
        let change = try #require(try ObjectChange.changes(from: events, applyingTo: ObjectState()).first)
        let messages = NotificationPlanner.messages(for: change, configs: [Self.config(1, custom: ["team": "ml"])])
        #expect(messages.count == 1)
        #expect(
            messages[0].attributes == [
                "notificationConfig": "projects/_/buckets/uploads/notificationConfigs/1",
                "eventType": "OBJECT_FINALIZE",
                "payloadFormat": "JSON_API_V1",
                "bucketId": "uploads",
                "objectId": "incoming/cat.png",
                "objectGeneration": "100",
                "eventTime": "2023-11-14T22:13:20.000000Z",
                "team": "ml",
            ]
        )
    }

    @Test func theJSONPayloadIsTheObjectResource() throws {
        let events = try Fixtures.decider().finalize(
            Fixtures.upload(), state: ObjectState(), generation: 100, now: Fixtures.time(0))
        let change = try #require(try ObjectChange.changes(from: events, applyingTo: ObjectState()).first)
        let message = try #require(NotificationPlanner.messages(for: change, configs: [Self.config(1)]).first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(message.data)) as? [String: Any])
        #expect(json["kind"] as? String == "storage#object")
        #expect(json["id"] as? String == "uploads/incoming/cat.png/100")
        #expect(json["selfLink"] as? String == "https://www.googleapis.com/storage/v1/b/uploads/o/incoming%2Fcat.png")
        #expect(
            json["mediaLink"] as? String
                == "https://storage.googleapis.com/download/storage/v1/b/uploads/o/incoming%2Fcat.png?generation=100&alt=media"
        )
        #expect(json["generation"] as? String == "100")
        #expect(json["metageneration"] as? String == "1")
        #expect(json["size"] as? String == "5")
        #expect(json["contentType"] as? String == "image/png")
        #expect(json["timeCreated"] as? String == "2023-11-14T22:13:20.000Z")
        #expect(json["md5Hash"] as? String == "XUFAKrxLKna5cZ2REBfFkg==")
        #expect(json["crc32c"] as? String == "mnG7TA==")
        #expect(json["etag"] as? String == "CGQQAQ==")
        #expect(json["metadata"] as? [String: String] == ["owner": "ana"])
        #expect(json["storageClass"] as? String == "STANDARD")
    }

    @Test func aServerBuildsLinksFromItsOwnAddress() throws {
        let object = try #require(
            ObjectLifecycleTests.object(
                try Fixtures.decider().finalize(
                    Fixtures.upload(), state: ObjectState(), generation: 7, now: Fixtures.time(0))[0]
            )
        )
        let resource = ObjectResource(object, links: .serving("http://127.0.0.1:8080"))
        #expect(resource.selfLink == "http://127.0.0.1:8080/storage/v1/b/uploads/o/incoming%2Fcat.png")
        #expect(
            resource.mediaLink
                == "http://127.0.0.1:8080/download/storage/v1/b/uploads/o/incoming%2Fcat.png?generation=7&alt=media"
        )
    }

    @Test func anEtagMatchesCloudStoragesEncoding() {
        // An etag in Cloud Storage's form: CJ+6pLbf1O4CEAE= is varints 1612596856298783 and 1.
        #expect(ObjectResource.etag(generation: 1_612_596_856_298_783, metageneration: 1) == "CJ+6pLbf1O4CEAE=")
        #expect(ObjectResource.etag(generation: 1, metageneration: 1) == "CAEQAQ==")
    }

    @Test func anUnversionedOverwriteNotifiesFinalizeThenDelete() throws {
        let changes = try Self.changes(versioned: false)
        let messages = changes.flatMap { NotificationPlanner.messages(for: $0, configs: [Self.config(1)]) }
        #expect(messages.map { $0.attributes["eventType"] } == ["OBJECT_FINALIZE", "OBJECT_DELETE"])
        #expect(messages[0].attributes["objectGeneration"] == "200")
        #expect(messages[0].attributes["overwroteGeneration"] == "100")
        #expect(messages[0].attributes["overwrittenByGeneration"] == nil)
        #expect(messages[1].attributes["objectGeneration"] == "100")
        #expect(messages[1].attributes["overwrittenByGeneration"] == "200")
        #expect(messages[1].attributes["overwroteGeneration"] == nil)
    }

    @Test func aVersionedOverwriteNotifiesFinalizeThenArchive() throws {
        let changes = try Self.changes(versioned: true)
        let messages = changes.flatMap { NotificationPlanner.messages(for: $0, configs: [Self.config(1)]) }
        #expect(messages.map { $0.attributes["eventType"] } == ["OBJECT_FINALIZE", "OBJECT_ARCHIVE"])
        #expect(messages[1].attributes["overwrittenByGeneration"] == "200")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(messages[1].data)) as? [String: Any])
        #expect(json["timeDeleted"] as? String == "2023-11-14T22:13:21.000Z")
    }

    @Test func configsFilterByEventTypeAndPrefixAndNoneCarriesNoData() throws {
        let changes = try Self.changes(versioned: false)
        let configs = [
            Self.config(1, types: [.objectFinalize]),
            Self.config(2, prefix: "other/"),
            Self.config(3, types: [.objectDelete], prefix: "incoming/", format: .none),
        ]
        let messages = changes.flatMap { NotificationPlanner.messages(for: $0, configs: configs) }
        #expect(messages.map(\.configID) == [1, 3])
        #expect(messages[1].data.isEmpty)
        #expect(messages[1].attributes["payloadFormat"] == "NONE")
    }

    @Test func aBucketHoldsAtMostTenConfigsPerEventType() throws {
        var state = try BucketState.folding(
            BucketDecider.create(Fixtures.bucket, state: BucketState(), now: Fixtures.time(0)))
        for _ in 0..<10 {
            for event in try BucketDecider.createNotification(Self.config(0), state: state, now: Fixtures.time(1)) {
                try state.apply(event)
            }
        }
        #expect(state.notificationConfigs.map(\.id) == Array(1...10))
        #expect(throws: SluiceError(.invalidArgument, "")) {
            try BucketDecider.createNotification(
                Self.config(0, types: [.objectDelete]), state: state, now: Fixtures.time(2))
        }
    }

    @Test func notificationIDsAreNeverReused() throws {
        var state = try BucketState.folding(
            BucketDecider.create(Fixtures.bucket, state: BucketState(), now: Fixtures.time(0)))
        for event in try BucketDecider.createNotification(Self.config(0), state: state, now: Fixtures.time(1)) {
            try state.apply(event)
        }
        for event in try BucketDecider.deleteNotification(id: 1, state: state, now: Fixtures.time(2)) {
            try state.apply(event)
        }
        let next = try BucketDecider.createNotification(Self.config(0), state: state, now: Fixtures.time(3))
        guard case .notificationCreated(let payload) = next.first else {
            Issue.record("expected notification.created")
            return
        }
        #expect(payload.config.id == 2)
    }

    @Test func customAttributesWithTheReservedPrefixAreRejected() throws {
        let state = try BucketState.folding(
            BucketDecider.create(Fixtures.bucket, state: BucketState(), now: Fixtures.time(0)))
        #expect(throws: SluiceError(.invalidArgument, "")) {
            try BucketDecider.createNotification(
                Self.config(0, custom: ["goog-x": "1"]), state: state, now: Fixtures.time(1))
        }
    }
}
