import Synchronization

/// Payloads already decoded, by type and exact JSON text. An event never changes, and one event is
/// decoded by several readers (an object's finalize by the upload that checks preconditions, the
/// notifier and the storage connector; a bucket's creation by every upload into it), so decoding
/// each text once takes most of the Foundation JSON work off the pipeline's path. The key is the
/// text itself, not the event's id or position, so the memo is a pure function and holds across
/// logs in one process. It holds at most `capacity` texts of at most ``largestText`` bytes each
/// (32 MiB at the very worst with the shared memo's 4,096).
final class DecodedPayloads: Sendable {
    /// The process's memo.
    static let shared = DecodedPayloads(capacity: 4_096)

    /// Texts longer than this are decoded every time: they are rare, and would crowd the memo.
    static let largestText = 8_192

    private struct Key: Hashable {
        let type: ObjectIdentifier
        let text: String
    }

    private let capacity: Int
    private let entries = Mutex<[Key: any Sendable]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The payload decoded from `text` as `T`, decoding it with `decode` the first time.
    func payload<T: Sendable, Failure: Error>(
        _ type: T.Type, text: String, decode: () throws(Failure) -> T
    ) throws(Failure) -> T {
        guard text.utf8.count <= Self.largestText else { return try decode() }
        let key = Key(type: ObjectIdentifier(type), text: text)
        if let known = entries.withLock({ $0[key] }) as? T { return known }
        let decoded = try decode()
        entries.withLock { entries in
            // Forgetting everything at once keeps the memo simple; the hot payloads return at once.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = decoded
        }
        return decoded
    }

    /// How many payloads are remembered, for tests.
    var count: Int { entries.withLock { $0.count } }
}
