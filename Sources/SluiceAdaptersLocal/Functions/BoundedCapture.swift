import SluiceAdapters
import Subprocess

/// Collects a child's output up to a limit and keeps draining past it, so a chatty child never
/// blocks on a full pipe and never fills memory.
enum BoundedCapture {
    static func collect(_ sequence: SubprocessOutputSequence, limit: Int) async throws -> CapturedText {
        var kept: [UInt8] = []
        var dropped = 0
        for try await buffer in sequence {
            buffer.withUnsafeBytes { bytes in
                let room = max(0, limit - kept.count)
                kept.append(contentsOf: bytes.prefix(room))
                dropped += max(0, bytes.count - room)
            }
        }
        return CapturedText(text: String(decoding: kept, as: UTF8.self), droppedBytes: dropped)
    }
}
