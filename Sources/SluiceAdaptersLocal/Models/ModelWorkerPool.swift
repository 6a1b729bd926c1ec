import DequeModule

/// Hands out a fixed set of model workers, one caller per worker at a time, first come first
/// served.
actor ModelWorkerPool {
    private var idle: [ModelWorkerProcess]
    private var waiting: Deque<CheckedContinuation<ModelWorkerProcess, Never>> = []
    private let all: [ModelWorkerProcess]

    init(command: [String], workers: Int) {
        all = (0..<max(1, workers)).map { _ in ModelWorkerProcess(command: command) }
        idle = all
    }

    func acquire() async -> ModelWorkerProcess {
        if let worker = idle.popLast() { return worker }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func release(_ worker: ModelWorkerProcess) {
        if let next = waiting.popFirst() {
            next.resume(returning: worker)
        } else {
            idle.append(worker)
        }
    }

    /// Stops every worker's process.
    func stop() async {
        for worker in all { await worker.stop() }
    }
}
