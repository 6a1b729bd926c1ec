/// Caps how many invocations of each function run at once (its `maxInstances`). Waiters are
/// served in arrival order.
actor InstanceLimiter {
    private var running: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func acquire(_ function: String, limit: Int) async {
        if running[function, default: 0] < limit {
            running[function, default: 0] += 1
            return
        }
        await withCheckedContinuation { waiting[function, default: []].append($0) }
    }

    /// Lets every waiter go, for shutdown: waiters check cancellation after they return.
    func releaseWaiters() {
        for queue in waiting.values { for waiter in queue { waiter.resume() } }
        waiting = [:]
    }

    func release(_ function: String) {
        if var queue = waiting[function], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[function] = queue
            next.resume()
        } else {
            running[function, default: 1] -= 1
        }
    }
}
