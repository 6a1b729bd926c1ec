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
///
/// A restart reads only the deliveries recorded after the dispatcher's checkpoint, so its cost
/// follows the messages in flight then, not the function's history: every message at or before
/// the checkpoint is finished, and one after it was published after it, so all of its records
/// are too. (The records also hold those of messages finished just before the checkpoint was
/// taken; they are not used.) What a finished message still needs is how often it was redriven,
/// since its next round's idempotency keys count them; redrives are few, so those are read from
/// the start.
actor DeliveryLedger {
    private let log: any EventLog
    private let checkpoint: Int64
    private var loaded: [String: Fold] = [:]

    /// `checkpoint` is the dispatcher checkpoint the feed resumes after (0 reads everything).
    init(log: any EventLog, checkpoint: Int64 = 0) {
        self.log = log
        self.checkpoint = checkpoint
    }

    /// One function's stream folded: progress per `TOPIC/MESSAGE_ID`, and the last position read.
    struct Fold: Sendable {
        var progress: [String: DeliveryProgress] = [:]
        var position: Int64 = 0
        /// Redrives per `TOPIC/MESSAGE_ID` recorded before the fold's first position: a message's
        /// progress starts from them.
        var earlierRedrives: [String: Int] = [:]

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
                let key = "\(acked.topic)/\(acked.messageId)"
                var entry = self.progress(key)
                entry.acked = true
                progress[key] = entry
            case FunctionDelivery.TypeName.failed:
                let failed = try FunctionDelivery.decode(FunctionDelivery.Failed.self, event)
                let key = "\(failed.topic)/\(failed.messageId)"
                var entry = self.progress(key)
                entry.attempts = max(entry.attempts, failed.attempt)
                entry.retryAtMicros = failed.retryAtMicros
                entry.givenUp = failed.retryAtMicros == nil
                progress[key] = entry
            case FunctionDelivery.TypeName.redriven:
                let redriven = try FunctionDelivery.decode(FunctionDelivery.Redriven.self, event)
                for id in redriven.messageIds { redrive("\(redriven.topic)/\(id)") }
            default: break
            }
        }

        mutating func redrive(_ key: String) {
            progress[key] = DeliveryProgress(redrives: self.progress(key).redrives + 1)
        }

        /// The progress folded so far for `key`, or a fresh one after its earlier redrives.
        func progress(_ key: String) -> DeliveryProgress {
            progress[key] ?? DeliveryProgress(redrives: earlierRedrives[key] ?? 0)
        }
    }

    func progress(of function: String, topic: String, event: RecordedEvent) async throws(SluiceError)
        -> DeliveryProgress
    {
        let fold = try await loadedFold(function)
        return fold.progress("\(topic)/\(event.version)")
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
        return fold.progress("\(topic)/\(messageID)")
    }

    private func loadedFold(_ function: String) async throws(SluiceError) -> Fold {
        if let fold = loaded[function] { return fold }
        let fold = try await Self.fold(try FunctionName(function), log: log, after: checkpoint)
        loaded[function] = fold
        return fold
    }

    /// Folds the function's delivery records after `start`, on top of the redrives up to it.
    static func fold(_ function: FunctionName, log: any EventLog, after start: Int64 = 0) async throws(SluiceError)
        -> Fold
    {
        var fold = Fold()
        let stream = ResourceStreams.function(function)
        if start > 0 {
            try await forEach(of: stream, types: [FunctionDelivery.TypeName.redriven], after: 0, log: log) {
                event throws(SluiceError) in
                guard event.position <= start else { return false }
                let redriven = try FunctionDelivery.decode(FunctionDelivery.Redriven.self, event)
                for id in redriven.messageIds { fold.earlierRedrives["\(redriven.topic)/\(id)", default: 0] += 1 }
                return true
            }
        }
        let types = [
            FunctionDelivery.TypeName.acked, FunctionDelivery.TypeName.failed, FunctionDelivery.TypeName.redriven,
        ]
        try await forEach(of: stream, types: types, after: start, log: log) { event throws(SluiceError) in
            try fold.apply(event)
            return true
        }
        return fold
    }

    /// Calls `body` with each event of `stream` of `types` after `start`, a page at a time, until
    /// it returns false.
    private static func forEach(
        of stream: StreamName, types: [String], after start: Int64, log: any EventLog,
        _ body: (RecordedEvent) throws(SluiceError) -> Bool
    ) async throws(SluiceError) {
        var after = start
        while true {
            let page = try await log.query(EventQuery(stream: stream, types: types, after: after, limit: 1_000))
            for event in page.events { guard try body(event) else { return } }
            guard let cursor = page.nextCursor else { return }
            after = cursor
        }
    }
}
