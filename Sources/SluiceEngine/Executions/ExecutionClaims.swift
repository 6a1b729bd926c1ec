import Synchronization

/// The executions a runner is advancing right now, so two paths that both learn of one start
/// (an announcement and the log's tail) never drive it twice at once in one process.
final class ExecutionClaims: Sendable {
    private let running = Mutex<Set<String>>([])

    /// Claims `id`; false when it is already being advanced.
    func claim(_ id: ExecutionID) -> Bool {
        running.withLock { $0.insert(id.rawValue).inserted }
    }

    func release(_ id: ExecutionID) {
        _ = running.withLock { $0.remove(id.rawValue) }
    }
}
