import SluiceCore
import SluiceLog

/// Reads a whole execution stream; shared by the runner and the drive.
enum ExecutionRunnerHistory {
    static func read(_ id: ExecutionID, log: any EventLog) async throws(SluiceError) -> ExecutionHistory {
        var history = ExecutionHistory()
        // Small pages: most executions fit one, which the log serves without a thread switch.
        let pageSize = StreamPaging.shortPage
        var next: Int64 = 1
        while true {
            let page = try await log.readStream(id.stream, from: next, limit: pageSize)
            for event in page { try history.apply(event) }
            guard page.count == pageSize, let last = page.last else { return history }
            next = last.version + 1
        }
    }
}
