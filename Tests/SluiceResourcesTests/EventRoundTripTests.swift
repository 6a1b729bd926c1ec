import SluiceCore
import SluiceLog
import SluiceResources
import Testing

@Suite struct EventRoundTripTests {
    @Test func objectEventsSurviveTheLogAndFoldToTheSameState() async throws {
        let log: any EventLog = MemoryEventLog()
        let decider = Fixtures.decider()
        let stream = try ResourceStreams.object(Fixtures.bucket, Fixtures.name)
        var expected = ObjectState()
        for (generation, second) in [(Int64(100), Int64(0)), (200, 1)] {
            let events = try decider.finalize(
                Fixtures.upload(), state: expected, generation: generation, now: Fixtures.time(second))
            _ = try await log.append(events.map { $0.newEvent() }, to: stream, expectedVersion: .any)
            for event in events { try expected.apply(event) }
        }
        let recorded = try await log.readStream(stream, from: 1, limit: 100)
        let rebuilt = try ObjectState.folding(recorded.map { (event) throws(SluiceError) in try ObjectEvent(event) })
        #expect(rebuilt == expected)
    }

    @Test func bucketAndNotificationEventsSurviveTheLog() async throws {
        let log: any EventLog = MemoryEventLog()
        var state = BucketState()
        var all: [BucketEvent] = []
        func record(_ events: [BucketEvent]) throws {
            for event in events { try state.apply(event) }
            all += events
        }
        try record(BucketDecider.create(Fixtures.bucket, state: state, now: Fixtures.time(0)))
        let draft = NotificationConfig(id: 0, topic: Fixtures.topic())
        try record(BucketDecider.createNotification(draft, state: state, now: Fixtures.time(1)))
        try record(BucketDecider.setVersioning(true, state: state, now: Fixtures.time(2)))
        let stream = ResourceStreams.bucket(Fixtures.bucket)
        _ = try await log.append(all.map { $0.newEvent() }, to: stream, expectedVersion: .noStream)
        let recorded = try await log.readStream(stream, from: 1, limit: 100)
        #expect(recorded.map(\.type) == ["bucket.created", "notification.created", "bucket.versioning_changed"])
        let rebuilt = try BucketState.folding(recorded.map { (event) throws(SluiceError) in try BucketEvent(event) })
        #expect(rebuilt == state)
        #expect(rebuilt.metageneration == 3)
        #expect(rebuilt.notificationConfigs.map(\.id) == [1])
    }

    @Test func publishedMessagesKeepTheirBytesAndGetStreamVersionIDs() async throws {
        var topic = TopicState()
        try topic.apply(.created(TopicCreated(name: Fixtures.topic(), time: Fixtures.time(0))))
        let drafts = [
            PubsubMessage(messageID: "", publishTime: Fixtures.time(0), data: [0, 255, 10]),
            PubsubMessage(messageID: "", publishTime: Fixtures.time(0), attributes: ["k": "v"], orderingKey: "key"),
        ]
        let events = try topic.publish(drafts, now: Fixtures.time(3))
        let log: any EventLog = MemoryEventLog()
        let stream = ResourceStreams.topic(Fixtures.topic())
        _ = try await log.append(
            [TopicEvent.created(TopicCreated(name: Fixtures.topic(), time: Fixtures.time(0))).newEvent()], to: stream)
        _ = try await log.append(events.map { $0.newEvent() }, to: stream)
        let recorded = try await log.readStream(stream, from: 2, limit: 10)
        let decoded = try recorded.map { (event) throws(SluiceError) in try TopicEvent(event) }
        #expect(decoded == events)
        #expect(
            zip(recorded, events).allSatisfy { record, event in
                if case .messagePublished(let message) = event { return message.messageID == String(record.version) }
                return false
            })
    }

    @Test func aMessageWithNeitherDataNorAttributesCannotBePublished() throws {
        var topic = TopicState()
        try topic.apply(.created(TopicCreated(name: Fixtures.topic(), time: Fixtures.time(0))))
        #expect(throws: SluiceError(.invalidArgument, "")) {
            try topic.publish([PubsubMessage(messageID: "", publishTime: Fixtures.time(0))], now: Fixtures.time(1))
        }
    }

    @Test func anUnknownEventTypeIsReportedAsCorruption() {
        let event = RecordedEvent(
            position: 1, stream: StreamName(unchecked: "bucket/x"), version: 1, type: "bucket.exploded", data: "{}",
            metadata: .empty, timestamp: 0, id: EventID(high: 1, low: 1)
        )
        #expect(throws: SluiceError(.corruptStore, "")) { try BucketEvent(event) }
    }
}

@Suite struct LoadingTests {
    @Test func loadingAnEmptyStreamGivesTheInitialStateAndNoStream() async throws {
        let loaded = try await MemoryEventLog().loadBucket(Fixtures.bucket)
        #expect(loaded.state == BucketState())
        #expect(loaded.expectedVersion == .noStream)
    }

    @Test func loadingFoldsEveryEventAndReportsTheVersionForTheNextAppend() async throws {
        let log: any EventLog = MemoryEventLog()
        let decider = Fixtures.decider()
        for generation in Int64(1)...3 {
            let loaded = try await log.loadObject(Fixtures.bucket, Fixtures.name)
            let events = try decider.finalize(
                Fixtures.upload(), state: loaded.state, generation: generation, now: Fixtures.time(generation))
            _ = try await log.append(
                events.map { $0.newEvent() },
                to: try ResourceStreams.object(Fixtures.bucket, Fixtures.name),
                expectedVersion: loaded.expectedVersion
            )
        }
        let loaded = try await log.loadObject(Fixtures.bucket, Fixtures.name)
        #expect(loaded.state.live?.generation == 3)
        #expect(loaded.version == 5)
    }

    @Test func aStaleLoadCannotAppend() async throws {
        let log: any EventLog = MemoryEventLog()
        let stale = try await log.loadBucket(Fixtures.bucket)
        let create = try BucketDecider.create(Fixtures.bucket, state: stale.state, now: Fixtures.time(0))
        let stream = ResourceStreams.bucket(Fixtures.bucket)
        _ = try await log.append(create.map { $0.newEvent() }, to: stream, expectedVersion: stale.expectedVersion)
        await #expect(throws: SluiceError(.wrongExpectedVersion, "")) {
            try await log.append(create.map { $0.newEvent() }, to: stream, expectedVersion: stale.expectedVersion)
        }
    }

    @Test func subscriptionLoadingSkipsDeliveryEvents() async throws {
        let log: any EventLog = MemoryEventLog()
        let name = try SubscriptionName("sub")
        let config = SubscriptionConfig(name: name, topic: Fixtures.topic())
        let created = try SubscriptionState().create(config, now: Fixtures.time(0))
        let stream = ResourceStreams.subscription(name)
        _ = try await log.append(created.map { $0.newEvent() } + [NewEvent(type: "delivery.acked")], to: stream)
        let loaded = try await log.loadSubscription(name)
        #expect(loaded.state.config == config)
        #expect(loaded.version == 2)
    }
}
