import Crypto
import SluiceCore

/// The hash chain that makes edits to history detectable.
///
/// `contentDigest` covers everything a writer supplies (computed on the caller's task, off the
/// writer thread); `chain` binds it to the event's place in the log and to the previous event.
enum EventHasher {
    /// The hash that precedes the first event.
    static let genesis = [UInt8](repeating: 0, count: 32)

    /// SHA-256 over a length-prefixed encoding of the event's content.
    static func contentDigest(
        stream: String,
        type: String,
        data: String,
        eventID: EventID,
        correlationID: String?,
        causationID: String?,
        principal: String?,
        extra: String?
    ) -> [UInt8] {
        var hasher = SHA256()
        for field in [stream, type, data] { hasher.updateField(field) }
        hasher.update(integer: eventID.high)
        hasher.update(integer: eventID.low)
        for field in [correlationID, causationID, principal, extra] { hasher.updateOptionalField(field) }
        return Array(hasher.finalize())
    }

    /// SHA-256 over the previous hash, the event's position, version and time, and its content digest.
    static func chain(previous: [UInt8], position: Int64, version: Int64, recordedAt: Int64, content: [UInt8])
        -> [UInt8]
    {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(integer: UInt64(bitPattern: position))
        hasher.update(integer: UInt64(bitPattern: version))
        hasher.update(integer: UInt64(bitPattern: recordedAt))
        hasher.update(data: content)
        return Array(hasher.finalize())
    }
}

extension SHA256 {
    fileprivate mutating func update(integer: UInt64) {
        withUnsafeBytes(of: integer.bigEndian) { update(bufferPointer: $0) }
    }

    fileprivate mutating func updateField(_ text: String) {
        var text = text
        update(integer: UInt64(text.utf8.count))
        text.withUTF8 { update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    fileprivate mutating func updateOptionalField(_ text: String?) {
        guard let text else {
            update(integer: UInt64.max)
            return
        }
        updateField(text)
    }
}
