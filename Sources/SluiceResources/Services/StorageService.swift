import Foundation
public import SluiceAdapters
public import SluiceCore
public import SluiceLog

/// Cloud Storage on the log: buckets, objects and notification configs. Every change is decided
/// from the resource's folded state and appended with optimistic concurrency; an object's bytes
/// are durable in the object store before the event that makes them visible.
public struct StorageService: Sendable {
    let log: any EventLog
    let objects: any ObjectStore
    let clock: @Sendable () -> Timestamp
    let appender: ResourceAppender
    let notifications: InlineNotifications
    let bucketStates = BucketStateCache()
    let presence = ObjectPresenceHints()
    let deletionGate: BucketDeletionGate

    /// `links` is where notification payloads' `selfLink` and `mediaLink` point.
    public init(
        log: any EventLog,
        objects: any ObjectStore,
        links: ObjectLinks = .google,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(microseconds: WallClock.microsecondsSinceEpoch()) }
    ) {
        self.log = log
        self.objects = objects
        self.clock = clock
        appender = ResourceAppender(log: log)
        deletionGate = .shared(by: log)
        notifications = InlineNotifications(log: log, links: links)
    }

    // MARK: Buckets

    /// Creates a bucket; its name follows Cloud Storage's rules.
    @discardableResult
    public func createBucket(
        _ name: String,
        versioningEnabled: Bool = false,
        metadata: EventMetadata = .empty
    ) async throws(SluiceError) -> BucketState {
        let bucket = try BucketName(name)
        return try await changeBucket(bucket, metadata: metadata) { (loaded) throws(SluiceError) in
            let events = try BucketDecider.create(
                bucket, versioningEnabled: versioningEnabled, state: loaded.state, now: clock())
            return (events.map { $0.newEvent() }, try BucketState.folding(events))
        }
    }

    /// The bucket's state; NOT_FOUND when it does not exist.
    public func bucket(_ name: String) async throws(SluiceError) -> BucketState {
        let bucket = try BucketName(name)
        let state = try await log.loadBucket(bucket).state
        guard state.exists else { throw SluiceError(.notFound, "bucket \(name) does not exist") }
        return state
    }

    /// Turns object versioning on or off.
    @discardableResult
    public func setVersioning(
        _ enabled: Bool, bucket name: String, metadata: EventMetadata = .empty
    ) async throws(SluiceError) -> BucketState {
        let bucket = try BucketName(name)
        return try await changeBucket(bucket, metadata: metadata) { (loaded) throws(SluiceError) in
            let events = try BucketDecider.setVersioning(enabled, state: loaded.state, now: clock())
            var state = loaded.state
            for event in events { try state.apply(event) }
            return (events.map { $0.newEvent() }, state)
        }
    }

    /// Deletes an empty bucket; FAILED_PRECONDITION while it holds live objects. No upload to the
    /// bucket commits between the check and the delete (``BucketDeletionGate``), so an object
    /// never outlives its bucket.
    public func deleteBucket(_ name: String, metadata: EventMetadata = .empty) async throws(SluiceError) {
        let bucket = try BucketName(name)
        try await deletionGate.deleting(bucket) { () async throws(SluiceError) in
            guard try await listObjects(name, ObjectListing(maxResults: 1)).objects.isEmpty else {
                throw SluiceError(.failedPrecondition, "bucket \(name) is not empty")
            }
            try await changeBucket(bucket, metadata: metadata) { (loaded) throws(SluiceError) in
                (try BucketDecider.delete(state: loaded.state, now: clock()).map { $0.newEvent() }, ())
            }
        }
    }

    /// Every live bucket, by name.
    public func listBuckets() async throws(SluiceError) -> [BucketState] {
        var names: Set<String> = []
        var after: Int64 = 0
        while true {
            let page = try await log.query(
                EventQuery(streamPrefix: "bucket/", types: [BucketEvent.TypeName.created], after: after, limit: 1_000))
            for event in page.events { names.insert(String(event.stream.rawValue.dropFirst("bucket/".count))) }
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        var buckets: [BucketState] = []
        for name in names.sorted() {
            let state = try await log.loadBucket(try BucketName(name)).state
            if state.exists { buckets.append(state) }
        }
        return buckets
    }

    /// Decides a change from the bucket's folded state and appends it.
    private func changeBucket<Decision>(
        _ bucket: BucketName, metadata: EventMetadata,
        decide: (LoadedState<BucketState>) throws(SluiceError) -> (events: [NewEvent], result: Decision)
    ) async throws(SluiceError) -> Decision {
        defer { bucketStates.forget(bucket) }
        return try await appender.change(
            ResourceStreams.bucket(bucket), load: { () async throws(SluiceError) in try await log.loadBucket(bucket) },
            metadata: metadata, decide: decide)
    }

    // MARK: Notification configs

    /// Adds a notification config; the id is assigned by the bucket. As in Cloud Storage, the
    /// topic must exist: a config for a missing one is INVALID_ARGUMENT and stores nothing (a
    /// missing bucket is NOT_FOUND first).
    public func createNotification(
        _ draft: NotificationConfig, bucket name: String, metadata: EventMetadata = .empty
    ) async throws(SluiceError) -> NotificationConfig {
        let bucket = try BucketName(name)
        guard try await log.topicExists(draft.topic) else {
            _ = try await self.bucket(name)
            throw SluiceError(
                .invalidArgument,
                "Cloud Pub/Sub topic '\(draft.topic.rawValue)' not found; create the topic before a notification "
                    + "config that publishes to it")
        }
        return try await changeBucket(bucket, metadata: metadata) { (loaded) throws(SluiceError) in
            let events = try BucketDecider.createNotification(draft, state: loaded.state, now: clock())
            guard case .notificationCreated(let created) = events.first else {
                throw SluiceError(.internalFailure, "creating a notification config decided nothing")
            }
            return (events.map { $0.newEvent() }, created.config)
        }
    }

    /// Removes a notification config.
    public func deleteNotification(id: Int, bucket name: String, metadata: EventMetadata = .empty)
        async throws(SluiceError)
    {
        let bucket = try BucketName(name)
        try await changeBucket(bucket, metadata: metadata) { (loaded) throws(SluiceError) in
            (try BucketDecider.deleteNotification(id: id, state: loaded.state, now: clock()).map { $0.newEvent() }, ())
        }
    }

    /// The notification configs that were in force just before log position `position`, so an
    /// object change is notified by exactly the configs that existed when it happened, however
    /// late it is processed.
    public func notifications(of name: String, before position: Int64) async throws(SluiceError)
        -> [NotificationConfig]
    {
        let bucket = try BucketName(name)
        var state = BucketState()
        var next: Int64 = 1
        let pageSize = StreamPaging.shortPage
        scan: while true {
            let page = try await log.readStream(ResourceStreams.bucket(bucket), from: next, limit: pageSize)
            for event in page {
                guard event.position < position else { break scan }
                try state.apply(BucketEvent(event))
            }
            guard let last = page.last, page.count == pageSize else { break }
            next = last.version + 1
        }
        return state.exists ? state.notificationConfigs : []
    }

    // MARK: Objects

    /// Stores the bytes, then records the object's new generation. The upload's correlation id
    /// (in `metadata`) follows the object through notification, message and execution.
    @discardableResult
    public func upload(
        bucket name: String,
        object objectName: String,
        bytes: [UInt8],
        contentType: String = "application/octet-stream",
        customMetadata: ExactStringMap = [:],
        expected: ClientChecksums = ClientChecksums(),
        preconditions: ObjectPreconditions = .none,
        idempotencyKey: String? = nil,
        metadata: EventMetadata = .empty
    ) async throws(SluiceError) -> ObjectVersion {
        let bucket = try BucketName(name)
        let object = try ObjectName.forNewObject(objectName)
        let stored = try await objects.write(bytes)
        try expected.check(crc32c: stored.crc32cBase64, md5: stored.md5Base64)
        return try await finalize(
            bucket, object, stored, contentType, customMetadata, preconditions, metadata, idempotencyKey: idempotencyKey
        )
    }

    /// Stores bytes that arrive in chunks (a resumable upload) without holding them in memory,
    /// then records the object. The `expected` checksums given must match or nothing is recorded.
    @discardableResult
    public func upload<Chunks: AsyncSequence<[UInt8], any Error>>(
        bucket name: String,
        object objectName: String,
        chunks: sending Chunks,
        contentType: String = "application/octet-stream",
        customMetadata: ExactStringMap = [:],
        expected: ClientChecksums = ClientChecksums(),
        preconditions: ObjectPreconditions = .none,
        idempotencyKey: String? = nil,
        metadata: EventMetadata = .empty
    ) async throws(SluiceError) -> ObjectVersion {
        let bucket = try BucketName(name)
        let object = try ObjectName.forNewObject(objectName)
        let stored = try await objects.write(chunks: chunks)
        try expected.check(crc32c: stored.crc32cBase64, md5: stored.md5Base64)
        return try await finalize(
            bucket, object, stored, contentType, customMetadata, preconditions, metadata, idempotencyKey: idempotencyKey
        )
    }

    /// Records an object whose bytes are already in the object store (a resumable upload).
    ///
    /// The bucket's notification messages are appended with the object's events, in one step
    /// (``InlineNotifications``). A lost race with another writer of the object or a change to
    /// the bucket's configs re-reads both and decides again.
    public func finalize(
        _ bucket: BucketName,
        _ object: ObjectName,
        _ stored: StoredBlob,
        _ contentType: String,
        _ customMetadata: ExactStringMap,
        _ preconditions: ObjectPreconditions,
        _ metadata: EventMetadata,
        idempotencyKey: String? = nil
    ) async throws(SluiceError) -> ObjectVersion {
        let stream = try ResourceStreams.object(bucket, object)
        let metadata = Self.journey(metadata)
        let upload = ObjectUpload(stored, contentType: contentType, metadata: customMetadata)
        return try await ResourceAppender.retryingConflicts(on: stream) {
            () async throws(SluiceError) -> ObjectVersion in
            let (planned, result) = try await deletionGate.committingUpload(to: bucket) {
                () async throws(SluiceError) -> (PlannedUpload, AppendResult) in
                let planned = try await plan(upload, as: object, in: bucket, preconditions, metadata)
                do throws(SluiceError) {
                    return (planned, try await log.append(planned.parts, idempotencyKey: idempotencyKey)[0])
                } catch  where error.code == .wrongExpectedVersion {
                    forgetPlanned(planned)
                    throw error
                }
            }
            presence.noteExists(bucket, object)
            guard result.wasDuplicate else { return planned.object }
            // A retried upload (same key) answers with the generation the first one made.
            let first = try await log.readStream(stream, from: result.firstVersion, limit: 1)
            guard let event = first.first, case .finalized(let original) = try ObjectEvent(event) else {
                throw SluiceError(
                    .corruptStore, "the upload recorded under \(idempotencyKey ?? "") is not a finalize")
            }
            return original.object
        }
    }

    /// Stores the bytes and decides their new object generation without appending it: the caller
    /// appends ``PlannedUpload/parts`` in a step of its own (an execution, with its own progress),
    /// and when that append loses a race on any of them, calls ``forgetPlanned(_:)`` and plans again.
    public func planUpload(
        bucket name: String, object objectName: String, bytes: [UInt8], contentType: String,
        metadata: EventMetadata
    ) async throws(SluiceError) -> PlannedUpload {
        let bucket = try BucketName(name)
        let object = try ObjectName.forNewObject(objectName)
        let stored = try await objects.write(bytes)
        return try await plan(
            ObjectUpload(stored, contentType: contentType, metadata: [:]), as: object, in: bucket, .none,
            Self.journey(metadata))
    }

    /// Drops what a lost race may have made stale (the bucket's cached state), and remembers that
    /// the object may exist, so the next plan reads it.
    public func forgetPlanned(_ planned: PlannedUpload) {
        bucketStates.forget(planned.bucket)
        presence.noteExists(planned.bucket, planned.object.name)
    }

    /// Every upload starts a journey that its notification, message and execution share.
    private static func journey(_ metadata: EventMetadata) -> EventMetadata {
        guard metadata.correlationID == nil else { return metadata }
        var metadata = metadata
        metadata.correlationID = "upload-" + UUID().uuidString.lowercased()
        return metadata
    }

    /// Decides an upload on the object's and its bucket's current state: the object's events
    /// (expecting the object's version), then its notification messages, or a bare condition on the
    /// bucket's version when there are none. The bucket is a condition either way: the object was
    /// decided on that state of it (perhaps cached), and a bucket changed since fails the append.
    /// An object this process has not seen exist is decided as new without reading its stream
    /// (``ObjectPresenceHints``), unless a precondition needs its actual state.
    private func plan(
        _ upload: ObjectUpload, as object: ObjectName, in bucket: BucketName, _ preconditions: ObjectPreconditions,
        _ metadata: EventMetadata
    ) async throws(SluiceError) -> PlannedUpload {
        let bucketLoaded = try await bucketStates.state(of: bucket) { () async throws(SluiceError) in
            try await log.loadBucket(bucket)
        }
        guard bucketLoaded.state.exists else { throw SluiceError(.notFound, "bucket \(bucket) does not exist") }
        let loaded =
            preconditions.holdForAnAbsentObject && !presence.mayExist(bucket, object)
            ? LoadedState(state: ObjectState(), version: 0) : try await log.loadObject(bucket, object)
        let now = clock()
        let generation = max(now.microseconds, loaded.state.highestGeneration + 1)
        let decider = ObjectDecider(
            bucket: bucket, name: object, versioningEnabled: bucketLoaded.state.versioningEnabled)
        let decided = try decider.finalize(
            upload, state: loaded.state, generation: generation, now: now, preconditions: preconditions)
        guard case .finalized(let finalized) = decided.first else {
            throw SluiceError(.internalFailure, "an upload decided no new generation")
        }
        var generator = PooledRandomGenerator()
        let identified = decided.map {
            ($0, EventID(unixMilliseconds: now.microseconds / 1_000, using: &generator))
        }
        let alongside = try await notifications.parts(
            for: identified, before: loaded.state, bucket: bucketLoaded, bucketName: bucket, metadata: metadata,
            now: now)
        var eventMetadata = metadata
        if alongside != nil {
            eventMetadata.extra[InlineNotifications.marker.key] = InlineNotifications.marker.value
        }
        let events = identified.map { event, id in
            var new = event.newEvent(metadata: eventMetadata)
            new.id = id
            return new
        }
        let others =
            alongside ?? [StreamAppend.condition(ResourceStreams.bucket(bucket), atVersion: bucketLoaded.version)]
        let objectPart = StreamAppend(
            events, to: try ResourceStreams.object(bucket, object), expectedVersion: loaded.expectedVersion)
        return PlannedUpload(
            object: finalized.object, bucket: bucket, parts: [objectPart] + others,
            admission: CommitAdmission(gate: deletionGate, bucket: bucket))
    }

    /// The live object, or `generation` of it; NOT_FOUND when there is none.
    public func object(bucket name: String, object objectName: String, generation: Int64? = nil)
        async throws(SluiceError) -> ObjectVersion
    {
        let bucket = try BucketName(name)
        let object = try ObjectName(objectName)
        let state = try await log.loadObject(bucket, object).state
        if let generation {
            guard let version = state.version(generation) else {
                throw SluiceError(.notFound, "object \(name)/\(objectName) has no generation \(generation)")
            }
            return version
        }
        guard let live = state.live else { throw SluiceError(.notFound, "object \(name)/\(objectName) does not exist") }
        return live
    }

    /// The bytes of a stored object version, or the part `range` selects.
    public func content(of object: ObjectVersion, range: Range<Int64>? = nil) async throws(SluiceError) -> [UInt8] {
        if let inline = object.inlineContent { return try inline.slice(range, name: object.digest.hex) }
        return try await objects.read(object.digest, range: range)
    }

    /// Changes custom metadata or content type; returns the new metageneration's object.
    @discardableResult
    public func updateMetadata(
        bucket name: String,
        object objectName: String,
        _ patch: ObjectMetadataPatch,
        generation: Int64? = nil,
        preconditions: ObjectPreconditions = .none,
        metadata: EventMetadata = .empty
    ) async throws(SluiceError) -> ObjectVersion {
        let bucket = try BucketName(name)
        let object = try ObjectName(objectName)
        let decider = ObjectDecider(bucket: bucket, name: object, versioningEnabled: false)
        return try await appender.change(
            try ResourceStreams.object(bucket, object),
            load: { () async throws(SluiceError) in try await log.loadObject(bucket, object) },
            metadata: metadata
        ) { (loaded) throws(SluiceError) in
            let events = try decider.updateMetadata(
                patch, state: loaded.state, generation: generation, now: clock(), preconditions: preconditions)
            var state = loaded.state
            for event in events { try state.apply(event) }
            guard case .metadataUpdated(let updated) = events.first, let version = state.version(updated.generation)
            else { throw SluiceError(.internalFailure, "a metadata patch decided nothing") }
            return (events.map { $0.newEvent() }, version)
        }
    }

    /// Deletes the live object (archives it in a versioned bucket) or one generation.
    public func deleteObject(
        bucket name: String,
        object objectName: String,
        generation: Int64? = nil,
        preconditions: ObjectPreconditions = .none,
        metadata: EventMetadata = .empty
    ) async throws(SluiceError) {
        let bucketState = try await self.bucket(name)
        let bucket = try BucketName(name)
        let object = try ObjectName(objectName)
        let decider = ObjectDecider(bucket: bucket, name: object, versioningEnabled: bucketState.versioningEnabled)
        try await appender.change(
            try ResourceStreams.object(bucket, object),
            load: { () async throws(SluiceError) in try await log.loadObject(bucket, object) },
            metadata: metadata
        ) { (loaded) throws(SluiceError) in
            let events = try decider.delete(
                state: loaded.state, generation: generation, now: clock(), preconditions: preconditions)
            return (events.map { $0.newEvent() }, ())
        }
    }
}

extension ObjectUpload {
    /// An upload of bytes already in the object store.
    init(_ stored: StoredBlob, contentType: String, metadata: ExactStringMap) {
        self.init(
            contentType: contentType, metadata: metadata, size: stored.size, md5Hash: stored.md5Base64,
            crc32c: stored.crc32cBase64, digest: stored.digest, inlineContent: stored.inline)
    }
}
