import Synchronization

/// Payloads already decoded, by type and exact JSON text. An event never changes, and one event is
/// decoded by several readers (an object's finalize by the upload that checks preconditions, the
/// notifier and the storage connector; a bucket's creation by every upload into it), so decoding
/// each text once takes most of the Foundation JSON work off the pipeline's path. The key is the
/// text itself, not the event's id or position, so the memo is a pure function and holds across
/// logs in one process.
///
/// Encoding seeds it too (``remember(_:text:)``): the payloads this process writes are the ones
/// its own consumers read next (the upload's object by the workflow's storage read, the published
/// message by the function dispatcher), so those are never decoded at all.
///
/// Entries live in two generations of at most `capacity` texts of at most ``largestText`` bytes
/// each (64 MiB at the very worst with the shared memo's 4,096). When the young generation is full
/// it becomes the old one and the previous old one is dropped, so a text seeded by a write is
/// still there after `capacity` more, however the two sides interleave.
final class DecodedPayloads: Sendable {
    /// The process's memo.
    static let shared = DecodedPayloads(capacity: 4_096)

    /// Texts longer than this are decoded every time: they are rare, and would crowd the memo.
    static let largestText = 8_192

    private struct Key: Hashable {
        let type: ObjectIdentifier
        let text: String
    }

    private struct Generations {
        var young: [Key: any Sendable] = [:]
        var old: [Key: any Sendable] = [:]

        func value(_ key: Key) -> (any Sendable)? {
            young[key] ?? old[key]
        }

        mutating func insert(_ value: any Sendable, for key: Key, capacity: Int) {
            if young.count >= capacity {
                old = young
                young = Dictionary(minimumCapacity: capacity)
            }
            young[key] = value
        }
    }

    private let capacity: Int
    private let generations = Mutex(Generations())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The payload decoded from `text` as `T`, decoding it with `decode` the first time.
    func payload<T: Sendable, Failure: Error>(
        _ type: T.Type, text: String, decode: () throws(Failure) -> T
    ) throws(Failure) -> T {
        guard text.utf8.count <= Self.largestText else { return try decode() }
        let key = Key(type: ObjectIdentifier(type), text: text)
        if let known = generations.withLock({ $0.value(key) }) as? T { return known }
        let decoded = try decode()
        store(decoded, for: key)
        return decoded
    }

    /// Remembers that `text` decodes to `payload`; the encoder calls it with the text it just made.
    func remember<T: Sendable>(_ payload: T, text: String) {
        guard text.utf8.count <= Self.largestText else { return }
        store(payload, for: Key(type: ObjectIdentifier(T.self), text: text))
    }

    private func store(_ value: any Sendable, for key: Key) {
        generations.withLock { $0.insert(value, for: key, capacity: capacity) }
    }

    /// How many payloads are remembered, for tests.
    var count: Int { generations.withLock { $0.young.count + $0.old.count } }
}
