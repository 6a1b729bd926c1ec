import SluiceCore
import SluiceLog
import SluiceResources

/// What each function's stream says about the messages it was given, read once per function
/// when the dispatcher first needs it, so a restart skips acknowledged messages and resumes
/// failed ones at their recorded attempt and retry time.
///
/// Only the state at start-up matters: once the dispatcher runs, it owns each delivery it
/// starts, so the ledger stops reading positions recorded after the function was first loaded.
/// The exception is a redrive, which the dispatcher reports with ``redriven(_:topic:messageID:)``.
actor DeliveryLedger {
    private let log: any EventLog
    private var loaded: [String: Fold] = [:]

    init(log: any EventLog) {
        self.log = log
    }

    /// One function's stream folded: progress per `TOPIC/MESSAGE_ID`, and the last position read.
    struct Fold: Sendable {
        var progress: [String: DeliveryProgress] = [:]
        var position: Int64 = 0

        /// Messages given up and not redriven since, per topic.
        var givenUp: [String: [String]] {
            var result: [String: [String]] = [:]
            for (key, progress) in progress where progress.givenUp && !progress.acked {
                guard let slash = key.lastIndex(of: "/") else { continue }
                result[String(key[..<slash]), default: []].append(String(key[key.index(after: slash)...]))
            }
            return result.mapValues { $0.sorted { (Int64($0) ?? 0, $0) < (Int64($1) ?? 0, $1) } }
        }

        mutating func apply(_ event: RecordedEvent) throws(SluiceError) {
            position = max(position, event.position)
            switch event.type {
            case FunctionDelivery.TypeName.acked:
                let acked = try FunctionDelivery.decode(FunctionDelivery.Acked.self, event)
                progress["\(acked.topic)/\(acked.messageId)", default: DeliveryProgress()].acked = true
            case FunctionDelivery.TypeName.failed:
                let failed = try FunctionDelivery.decode(FunctionDelivery.Failed.self, event)
                var entry = progress["\(failed.topic)/\(failed.messageId)", default: DeliveryProgress()]
                entry.attempts = max(entry.attempts, failed.attempt)
                entry.retryAtMicros = failed.retryAtMicros
                entry.givenUp = failed.retryAtMicros == nil
                progress["\(failed.topic)/\(failed.messageId)"] = entry
            case FunctionDelivery.TypeName.redriven:
                let redriven = try FunctionDelivery.decode(FunctionDelivery.Redriven.self, event)
                for id in redriven.messageIds { redrive("\(redriven.topic)/\(id)") }
            default: break
            }
        }

        mutating func redrive(_ key: String) {
            let redrives = (progress[key]?.redrives ?? 0) + 1
            progress[key] = DeliveryProgress(redrives: redrives)
        }
    }

    func progress(of function: String, topic: String, event: RecordedEvent) async throws(SluiceError)
        -> DeliveryProgress
    {
        let fold = try await loadedFold(function)
        return fold.progress["\(topic)/\(event.version)"] ?? DeliveryProgress()
    }

    /// A redrive recorded at `position`: the progress to deliver the message from, or `nil` when
    /// the ledger read it at load, so the message's own event already resumed it.
    func redriven(_ function: String, topic: String, messageID: String, position: Int64) async throws(SluiceError)
        -> DeliveryProgress?
    {
        var fold = try await loadedFold(function)
        guard position > fold.position else { return nil }
        fold.redrive("\(topic)/\(messageID)")
        loaded[function] = fold
        return fold.progress["\(topic)/\(messageID)"]
    }

    private func loadedFold(_ function: String) async throws(SluiceError) -> Fold {
        if let fold = loaded[function] { return fold }
        let fold = try await Self.fold(try FunctionName(function), log: log)
        loaded[function] = fold
        return fold
    }

    static func fold(_ function: FunctionName, log: any EventLog) async throws(SluiceError) -> Fold {
        var fold = Fold()
        let stream = ResourceStreams.function(function)
        var after: Int64 = 0
        while true {
            let page = try await log.query(
                EventQuery(
                    stream: stream,
                    types: [
                        FunctionDelivery.TypeName.acked, FunctionDelivery.TypeName.failed,
                        FunctionDelivery.TypeName.redriven,
                    ],
                    after: after, limit: 1_000))
            for event in page.events { try fold.apply(event) }
            guard let cursor = page.nextCursor else { return fold }
            after = cursor
        }
    }
}
