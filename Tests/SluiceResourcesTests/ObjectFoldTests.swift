import SluiceCore
import SluiceResources
import Testing

/// The object reducer, as a table: events in, live generation and noncurrent generations out.
@Suite struct ObjectFoldTests {
    static func version(_ generation: Int64, metageneration: Int64 = 1) -> ObjectVersion {
        ObjectVersion(
            bucket: Fixtures.bucket, name: Fixtures.name, generation: generation, metageneration: metageneration,
            contentType: "text/plain", metadata: [:], size: 1, md5Hash: "", crc32c: "", digest: Fixtures.digest,
            storageClass: "STANDARD", timeCreated: Fixtures.time(generation), updated: Fixtures.time(generation)
        )
    }

    static func finalized(_ generation: Int64, over previous: Int64? = nil) -> ObjectEvent {
        .finalized(ObjectFinalized(object: version(generation), overwroteGeneration: previous))
    }

    static func removed(_ generation: Int64, by newer: Int64? = nil) -> ObjectRemoved {
        ObjectRemoved(generation: generation, time: Fixtures.time(100), overwrittenByGeneration: newer)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var label: String
        var events: [ObjectEvent]
        var live: Int64?
        var noncurrent: [Int64]
        var metageneration: Int64?
        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(label: "nothing", events: [], live: nil, noncurrent: [], metageneration: nil),
        Row(label: "one upload", events: [finalized(1)], live: 1, noncurrent: [], metageneration: 1),
        Row(
            label: "overwrite, unversioned",
            events: [finalized(1), finalized(2, over: 1), .deleted(removed(1, by: 2))],
            live: 2, noncurrent: [], metageneration: 1
        ),
        Row(
            label: "overwrite, versioned", events: [finalized(1), finalized(2, over: 1), .archived(removed(1, by: 2))],
            live: 2, noncurrent: [1], metageneration: 1
        ),
        Row(
            label: "archive live", events: [finalized(1), .archived(removed(1))],
            live: nil, noncurrent: [1], metageneration: nil
        ),
        Row(
            label: "delete live", events: [finalized(1), .deleted(removed(1))], live: nil, noncurrent: [],
            metageneration: nil),
        Row(
            label: "purge noncurrent",
            events: [finalized(1), finalized(2, over: 1), .archived(removed(1, by: 2)), .deleted(removed(1))],
            live: 2, noncurrent: [], metageneration: 1
        ),
        Row(
            label: "metadata twice",
            events: [
                finalized(1),
                .metadataUpdated(
                    .init(
                        generation: 1, metageneration: 2, contentType: "a/b", metadata: [:], updated: Fixtures.time(5))),
                .metadataUpdated(
                    .init(
                        generation: 1, metageneration: 3, contentType: "a/b", metadata: [:], updated: Fixtures.time(6))),
            ],
            live: 1, noncurrent: [], metageneration: 3
        ),
        Row(
            label: "recreate after delete",
            events: [finalized(1), .deleted(removed(1)), finalized(5)],
            live: 5, noncurrent: [], metageneration: 1
        ),
    ]

    @Test(arguments: rows)
    func foldingYieldsTheLiveAndNoncurrentGenerations(_ row: Row) throws {
        let state = try ObjectState.folding(row.events)
        #expect(state.live?.generation == row.live)
        #expect(state.noncurrent.keys.sorted() == row.noncurrent)
        #expect(state.live?.metageneration == row.metageneration)
    }

    static let contradictions: [Row] = [
        Row(
            label: "finalize an older generation", events: [finalized(2), finalized(1, over: 2)], live: nil,
            noncurrent: [], metageneration: nil),
        Row(
            label: "overwrite a generation that is not live", events: [finalized(1), finalized(2, over: 7)], live: nil,
            noncurrent: [], metageneration: nil),
        Row(
            label: "archive a missing generation", events: [.archived(removed(3))], live: nil, noncurrent: [],
            metageneration: nil),
        Row(
            label: "update a missing generation",
            events: [
                .metadataUpdated(
                    .init(generation: 1, metageneration: 2, contentType: "", metadata: [:], updated: Fixtures.time(0)))
            ],
            live: nil, noncurrent: [], metageneration: nil
        ),
    ]

    @Test(arguments: contradictions)
    func contradictoryHistoriesAreReportedAsCorruption(_ row: Row) {
        #expect(throws: SluiceError(.corruptStore, "")) { try ObjectState.folding(row.events) }
    }
}

/// The bucket reducer, as a table.
@Suite struct BucketFoldTests {
    static let created = BucketEvent.created(
        BucketCreated(name: Fixtures.bucket, versioningEnabled: false, time: Fixtures.time(0)))

    static func notification(_ id: Int) -> BucketEvent {
        .notificationCreated(
            NotificationCreated(config: NotificationConfig(id: id, topic: Fixtures.topic()), time: Fixtures.time(1)))
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var label: String
        var events: [BucketEvent]
        var exists: Bool
        var metageneration: Int64
        var notifications: [Int]
        var nextID: Int
        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(label: "never created", events: [], exists: false, metageneration: 0, notifications: [], nextID: 1),
        Row(label: "created", events: [created], exists: true, metageneration: 1, notifications: [], nextID: 1),
        Row(
            label: "two notifications", events: [created, notification(1), notification(2)], exists: true,
            metageneration: 3,
            notifications: [1, 2], nextID: 3
        ),
        Row(
            label: "notification deleted",
            events: [
                created, notification(1), .notificationDeleted(NotificationDeleted(id: 1, time: Fixtures.time(2))),
            ],
            exists: true, metageneration: 3, notifications: [], nextID: 2
        ),
        Row(
            label: "deleted and recreated",
            events: [created, notification(1), .deleted(BucketDeleted(time: Fixtures.time(3))), created],
            exists: true, metageneration: 1, notifications: [], nextID: 2
        ),
    ]

    @Test(arguments: rows)
    func foldingYieldsExistenceMetagenerationAndNotifications(_ row: Row) throws {
        let state = try BucketState.folding(row.events)
        #expect(state.exists == row.exists)
        #expect(state.metageneration == row.metageneration)
        #expect(state.notificationConfigs.map(\.id) == row.notifications)
        #expect(state.nextNotificationID == row.nextID)
    }

    @Test(arguments: [
        [created, created],
        [notification(1)],
        [created, notification(1), notification(1)],
        [created, .notificationDeleted(NotificationDeleted(id: 9, time: Fixtures.time(0)))],
    ])
    func contradictoryHistoriesAreReportedAsCorruption(_ events: [BucketEvent]) {
        #expect(throws: SluiceError(.corruptStore, "")) { try BucketState.folding(events) }
    }
}
