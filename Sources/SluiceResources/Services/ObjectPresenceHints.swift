import SluiceCore
import Synchronization

/// Objects this process has seen exist, so that only an upload to one of them reads the object's
/// stream before deciding; an upload to any other name is decided as the object's first.
///
/// Most uploads of an event-driven pipeline make new objects, and reading an object's stream only
/// to find it empty cost a read transaction per upload. Deciding on "no object yet" is safe without
/// the read: the plan appends with `.noStream` as the object's expected version, so when the object
/// does exist the append fails whole, the upload notes the name here and decides again on a real
/// read. A forgotten or never-known name costs one such lost append, never a wrong result.
final class ObjectPresenceHints: Sendable {
    /// Names remembered at most; past it the hints start over.
    static let capacity = 16_384

    private struct Key: Hashable {
        var bucket: BucketName
        var object: ObjectName
    }

    private let known = Mutex<Set<Key>>([])

    /// Whether an upload of `object` must read its stream before deciding.
    func mayExist(_ bucket: BucketName, _ object: ObjectName) -> Bool {
        known.withLock { $0.contains(Key(bucket: bucket, object: object)) }
    }

    /// Records that `object` exists (or may), so the next upload of it reads first.
    func noteExists(_ bucket: BucketName, _ object: ObjectName) {
        known.withLock { known in
            if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
            known.insert(Key(bucket: bucket, object: object))
        }
    }
}
