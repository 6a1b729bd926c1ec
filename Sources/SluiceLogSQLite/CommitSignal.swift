import Synchronization

/// Wakes tasks waiting for the log's head to move past a position.
final class CommitSignal: Sendable {
    private struct Waiter {
        let after: Int64
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var head: Int64 = 0
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state = Mutex(State())

    /// The newest head recorded: durable, as the writer and syncer advance it only then.
    var head: Int64 { state.withLock { $0.head } }

    /// Tasks waiting now; for tests.
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Records a new head and resumes every waiter it satisfies.
    func advance(to head: Int64) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.head = max(state.head, head)
            var ready: [CheckedContinuation<Void, Never>] = []
            for (id, waiter) in state.waiters where waiter.after < state.head {
                ready.append(waiter.continuation)
                state.waiters[id] = nil
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once the head is past `position`, the task is cancelled, or `timeout` passes.
    func wait(after position: Int64, timeout: Duration) async {
        // Passed already: no waiter and sleeper tasks to start and cancel (under a busy executor
        // their trips through its queue took seconds in the test suite).
        if head > position { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitUntilCancelled(after: position) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitUntilCancelled(after position: Int64) async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.head > position || Task.isCancelled { return true }
                    state.waiters[id] = Waiter(after: position, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume()
        }
    }
}
