import SluiceCore
import SluiceLog
import SluiceResources

/// What each function's stream says about the messages it was given, read once per function
/// when the dispatcher first needs it, so a restart skips acknowledged messages and resumes
/// failed ones at their recorded attempt and retry time.
///
/// Only the state at start-up matters: once the dispatcher runs, it owns each delivery it
/// starts, so the ledger stops reading positions recorded after the function was first loaded.
actor DeliveryLedger {
    private let log: any EventLog
    private var loaded: [String: [String: DeliveryProgress]] = [:]

    init(log: any EventLog) {
        self.log = log
    }

    func progress(of function: String, topic: String, event: RecordedEvent) async throws(SluiceError)
        -> DeliveryProgress
    {
        if loaded[function] == nil { loaded[function] = try await load(function) }
        let messageID = String(event.version)
        return loaded[function]?["\(topic)/\(messageID)"] ?? DeliveryProgress()
    }

    private func load(_ function: String) async throws(SluiceError) -> [String: DeliveryProgress] {
        var result: [String: DeliveryProgress] = [:]
        let stream = ResourceStreams.function(try FunctionName(function))
        var after: Int64 = 0
        while true {
            let page = try await log.query(
                EventQuery(
                    stream: stream, types: [FunctionDelivery.TypeName.acked, FunctionDelivery.TypeName.failed],
                    after: after, limit: 1_000))
            for event in page.events {
                if event.type == FunctionDelivery.TypeName.acked {
                    let acked = try FunctionDelivery.decode(FunctionDelivery.Acked.self, event)
                    result["\(acked.topic)/\(acked.messageId)", default: DeliveryProgress()].acked = true
                } else {
                    let failed = try FunctionDelivery.decode(FunctionDelivery.Failed.self, event)
                    var progress = result["\(failed.topic)/\(failed.messageId)", default: DeliveryProgress()]
                    progress.attempts = max(progress.attempts, failed.attempt)
                    progress.retryAtMicros = failed.retryAtMicros
                    progress.givenUp = failed.retryAtMicros == nil
                    result["\(failed.topic)/\(failed.messageId)"] = progress
                }
            }
            guard let cursor = page.nextCursor else { return result }
            after = cursor
        }
    }
}
