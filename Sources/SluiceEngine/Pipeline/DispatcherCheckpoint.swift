import Foundation
public import SluiceCore
public import SluiceLog

/// The function dispatcher's durable progress: "every message and redrive up to this position
/// is finished" (see ``DispatchWatermark``). A restart reads the function configurations up to
/// it and follows the log from just after it, instead of reading every message ever published.
public enum DispatcherCheckpoint {
    /// `dispatcher/functions`: one `dispatcher.checkpointed` event per advance.
    public static let stream = StreamName(unchecked: "dispatcher/functions")
    public static let type = "dispatcher.checkpointed"

    struct Payload: Codable {
        var through: Int64
    }

    /// The position the last checkpoint recorded, 0 when there is none.
    public static func latest(in log: any EventLog) async throws(SluiceError) -> Int64 {
        let version = try await log.streamVersion(stream)
        guard version > 0, let event = try await log.readStream(stream, from: version, limit: 1).first else {
            return 0
        }
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(event.data.utf8)) else {
            throw SluiceError(.corruptStore, "event \(event.position) (\(type)) does not decode")
        }
        return payload.through
    }

    /// Records that everything up to `position` is finished.
    static func record(_ position: Int64, in log: any EventLog) async throws(SluiceError) {
        let data = String(decoding: (try? JSONEncoder().encode(Payload(through: position))) ?? Data(), as: UTF8.self)
        _ = try await log.append(
            [NewEvent(type: type, data: data, metadata: EventMetadata(principal: "sluice-engine"))], to: stream,
            expectedVersion: .any)
    }
}
