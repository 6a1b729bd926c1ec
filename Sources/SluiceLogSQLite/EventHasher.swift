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
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }

    /// SHA-256 over the previous hash, the event's position, version and time, and its content digest.
    ///
    /// The writer chains every event one after another, so the input is laid out in one stack
    /// buffer and hashed in one update, not five, and the digest copied out as bytes, not
    /// iterated element by element.
    static func chain(previous: [UInt8], position: Int64, version: Int64, recordedAt: Int64, content: [UInt8])
        -> [UInt8]
    {
        let length = previous.count + 3 * MemoryLayout<UInt64>.size + content.count
        return withUnsafeTemporaryAllocation(byteCount: length, alignment: 8) { buffer in
            var offset = 0
            func append(_ bytes: UnsafeRawBufferPointer) {
                UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + bytes.count]).copyMemory(from: bytes)
                offset += bytes.count
            }
            previous.withUnsafeBytes(append)
            for integer in [position, version, recordedAt] {
                withUnsafeBytes(of: UInt64(bitPattern: integer).bigEndian, append)
            }
            content.withUnsafeBytes(append)
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return hasher.finalize().withUnsafeBytes { Array($0) }
        }
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
