import Foundation

/// Runs blocking work (waiting for a child to print, to exit, or to close a pipe) on a thread of
/// its own, so the waiting test does not hold a thread of the cooperative pool.
///
/// The test process runs many suites at once on a pool as wide as the machine has cores. On a
/// loaded 2-core machine, two tests blocked while their `sluice serve` children started left no
/// thread for anything else: a model worker's 2 s timeout fired after 55 s, and the 64 clients of
/// the load test never ran before its 30 s deadline.
enum OffPool {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
