import SluiceCore
import SluiceLog
import Synchronization

/// Remembers for a moment which topics exist, so a stream of uploads to one bucket does not read
/// its notification topic's state on every upload (two reads of the log each).
///
/// Only existence is remembered, and only for `lifetime`: a topic deleted meanwhile (in this
/// process or another) may still receive an upload's message for that long. Deleting a topic
/// detaches its subscriptions, so such a message reaches none of them, as a message published just
/// before the deletion would not.
public final class TopicExistenceCache: Sendable {
    /// How long a topic seen to exist is taken to exist.
    public static let lifetime = Duration.seconds(1)
    /// Topics remembered at most; past it the cache starts over.
    static let capacity = 1_024

    private let seen = Mutex<[TopicName: ContinuousClock.Instant]>([:])

    /// Whether `topic` exists: remembered when it was seen to exist within `lifetime`, else read.
    func exists(_ topic: TopicName, in log: any EventLog) async throws(SluiceError) -> Bool {
        let now = ContinuousClock.now
        if let seenAt = seen.withLock({ $0[topic] }), now - seenAt < Self.lifetime { return true }
        guard try await log.topicExists(topic) else { return false }
        seen.withLock { seen in
            if seen.count >= Self.capacity { seen.removeAll(keepingCapacity: true) }
            seen[topic] = now
        }
        return true
    }
}
