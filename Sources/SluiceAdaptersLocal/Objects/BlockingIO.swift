import Dispatch
import SluiceCore

/// Runs blocking file work (writes, fsync, rename) on Dispatch threads, so it never holds one
/// of the few cooperative-pool threads that every actor of the engine shares.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "sluice.objects.io", attributes: .concurrent)

    static func run<Value: Sendable>(
        _ work: @escaping @Sendable () throws(SluiceError) -> Value
    ) async throws(SluiceError) -> Value {
        let result: Result<Value, SluiceError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(SluiceError) in try work() })
            }
        }
        return try result.get()
    }
}
