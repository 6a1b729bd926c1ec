public import SluiceCore
public import SluiceLog

/// A resource's state as folded from its stream, and the stream version it was read at.
public struct LoadedState<State: Sendable>: Sendable {
    /// The folded state.
    public var state: State
    /// The stream's version after the last folded event: 0 when the stream is empty.
    public var version: Int64

    /// What to pass as `expectedVersion` so an append fails if someone else wrote in between.
    public var expectedVersion: ExpectedVersion { version == 0 ? .noStream : .exact(version) }
}

extension EventLog {
    /// Folds `bucket/NAME`.
    public func loadBucket(_ name: BucketName) async throws(SluiceError) -> LoadedState<BucketState> {
        var state = BucketState()
        let version = try await fold(ResourceStreams.bucket(name)) { (event) throws(SluiceError) in
            try state.apply(BucketEvent(event))
        }
        return LoadedState(state: state, version: version)
    }

    /// Whether the topic was created and not deleted (a deleted topic's name is never reused),
    /// without reading its messages.
    public func topicExists(_ topic: TopicName) async throws(SluiceError) -> Bool {
        try await topicCreation(topic) != nil
    }

    /// The event that created the topic as it exists now, or nil when it does not: a topic deleted
    /// and created again is the newer one. Only its configuration events are read, newest first.
    public func topicCreation(_ topic: TopicName) async throws(SluiceError) -> RecordedEvent? {
        let stream = ResourceStreams.topic(topic)
        guard try await streamVersion(stream) > 0 else { return nil }
        let newest = try await query(
            EventQuery(
                stream: stream, types: [TopicEvent.TypeName.created, TopicEvent.TypeName.deleted], limit: 1,
                newestFirst: true))
        return newest.events.first.flatMap { $0.type == TopicEvent.TypeName.created ? $0 : nil }
    }

    /// Folds `object/BUCKET/NAME`.
    public func loadObject(_ bucket: BucketName, _ name: ObjectName) async throws(SluiceError) -> LoadedState<
        ObjectState
    > {
        var state = ObjectState()
        let version = try await fold(ResourceStreams.object(bucket, name)) { (event) throws(SluiceError) in
            try state.apply(ObjectEvent(event))
        }
        return LoadedState(state: state, version: version)
    }

    /// Folds the `subscription.*` events of `subscription/NAME`. The engine's delivery records
    /// share the stream (one or more per message on a subscription with a dead-letter policy or
    /// exactly-once delivery), so the configuration events are found by type, not by reading the
    /// whole stream: loading a busy subscription costs its few configuration changes.
    public func loadSubscription(_ name: SubscriptionName) async throws(SluiceError) -> LoadedState<SubscriptionState> {
        let stream = ResourceStreams.subscription(name)
        // The version first: the state is folded up to it, so an append expecting it either sees
        // nothing newer or fails on the version; it never decides on a state older than it.
        let version = try await streamVersion(stream)
        let types = [
            SubscriptionEvent.TypeName.created, SubscriptionEvent.TypeName.updated, SubscriptionEvent.TypeName.deleted,
        ]
        var state = SubscriptionState()
        var after: Int64 = 0
        while true {
            let page = try await query(EventQuery(stream: stream, types: types, after: after, limit: 1_000))
            for event in page.events where event.version <= version {
                try state.apply(SubscriptionEvent(event))
                if event.type == SubscriptionEvent.TypeName.created { state.createdPosition = event.position }
            }
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        return LoadedState(state: state, version: version)
    }

    private func fold(
        _ stream: StreamName,
        _ apply: (RecordedEvent) throws(SluiceError) -> Void
    ) async throws(SluiceError) -> Int64 {
        // Resource streams are short: one small page usually holds all of it, and a page that is
        // not full is the end, so the common case is a single read.
        let pageSize = StreamPaging.shortPage
        var next: Int64 = 1
        while true {
            let page = try await readStream(stream, from: next, limit: pageSize)
            for event in page { try apply(event) }
            guard let last = page.last else { return next - 1 }
            next = last.version + 1
            if page.count < pageSize { return last.version }
        }
    }
}
