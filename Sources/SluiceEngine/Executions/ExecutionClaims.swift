import Synchronization

/// The executions a runner is advancing right now, so two paths that both learn of one start
/// (an announcement and the log's tail) never drive it twice at once in one process.
final class ExecutionClaims: Sendable {
    private struct State {
        var running: Set<String> = []
        var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    }

    private let state = Mutex(State())

    /// Claims `id`; false when it is already being advanced.
    func claim(_ id: ExecutionID) -> Bool {
        state.withLock { $0.running.insert(id.rawValue).inserted }
    }

    /// Claims `id` once whoever holds it lets go. The scheduler waits this way: the log's tail can
    /// bring a start while the function that recorded it still holds the claim (see
    /// ``ExecutionRunner/startAndRun(_:_:metadata:alongside:idempotencyKey:)``), and giving up
    /// then would leave a handed-off execution to nobody.
    func claimWhenFree(_ id: ExecutionID) async {
        while !claim(id) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waiting = state.withLock { state in
                    guard state.running.contains(id.rawValue) else { return false }
                    state.waiters[id.rawValue, default: []].append(continuation)
                    return true
                }
                if !waiting { continuation.resume() }
            }
        }
    }

    func release(_ id: ExecutionID) {
        let waiters = state.withLock { state in
            state.running.remove(id.rawValue)
            return state.waiters.removeValue(forKey: id.rawValue) ?? []
        }
        for waiter in waiters { waiter.resume() }
    }
}
