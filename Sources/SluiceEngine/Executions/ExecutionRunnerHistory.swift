import SluiceCore
import SluiceLog

/// Reads a whole execution stream; shared by the runner and the drive.
enum ExecutionRunnerHistory {
    static func read(_ id: ExecutionID, log: any EventLog) async throws(SluiceError) -> ExecutionHistory {
        var history = ExecutionHistory()
        try await catchUp(&history, id, log: log)
        return history
    }

    /// Folds the events appended to `id`'s stream after those `history` holds.
    static func catchUp(_ history: inout ExecutionHistory, _ id: ExecutionID, log: any EventLog)
        async throws(SluiceError)
    {
        // Small pages: most executions fit one, which the log serves without a thread switch.
        let pageSize = StreamPaging.shortPage
        var next = history.version + 1
        while true {
            let page = try await log.readStream(id.stream, from: next, limit: pageSize)
            for event in page { try history.apply(event) }
            guard page.count == pageSize, let last = page.last else { return }
            next = last.version + 1
        }
    }
}
