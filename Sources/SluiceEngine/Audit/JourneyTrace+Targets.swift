public import SluiceCore
public import SluiceLog
import SluiceResources

extension JourneyTrace {
    /// What a trace starts from: a correlation id, an object (`gs://BUCKET/NAME`, its latest
    /// change) or an execution id.
    public enum Target: Sendable, Hashable {
        case correlation(String)
        case object(String)
        case execution(String)
    }

    /// The correlation id `target` names.
    public static func correlation(of target: Target, in log: any EventLog) async throws(SluiceError) -> String {
        switch target {
        case .correlation(let id): return id
        case .execution(let id): return try await correlation(ofStream: try ExecutionID(id).stream, in: log)
        case .object(let uri):
            let path = uri.hasPrefix("gs://") ? String(uri.dropFirst(5)) : uri
            guard let slash = path.firstIndex(of: "/") else {
                throw SluiceError(.invalidArgument, "an object is gs://BUCKET/NAME, not \(uri)")
            }
            let stream = try ResourceStreams.object(
                try BucketName(String(path[..<slash])), try ObjectName(String(path[path.index(after: slash)...])))
            return try await correlation(ofStream: stream, in: log)
        }
    }
}

extension JourneyTrace.Step {
    /// One step as a JSON object: position, offset in milliseconds, stream, type, summary.
    public var json: String {
        "{\"position\":\(position),\"offsetMs\":\(Double(offsetMicros) / 1_000),"
            + "\"stream\":\(JSONText.quote(stream)),\"type\":\(JSONText.quote(type)),"
            + "\"summary\":\(JSONText.quote(summary))}"
    }
}
