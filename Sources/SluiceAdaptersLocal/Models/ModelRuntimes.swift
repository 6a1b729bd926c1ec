import Foundation
public import SluiceAdapters
public import SluiceCore
import SluiceResources

/// Builds the predictor a model file describes. One JSON document per model names its runtime
/// by `format`:
///
///     {"format": "sluice.endpoint.v1", "url": "http://127.0.0.1:9000/v1/models/m:predict",
///      "timeoutSeconds": 60}                     -- a Vertex AI / KServe v1 HTTP endpoint
///     {"format": "sluice.worker.v1", "command": ["python3", "worker.py"], "workers": 2,
///      "timeoutSeconds": 60}                     -- a pool of JSON-lines worker processes
///
/// and any other format is a built-in model (``BuiltInModelPredictor``). Worker commands run in
/// the server's working directory.
public enum ModelRuntimes {
    public static let endpointFormat = "sluice.endpoint.v1"
    public static let workerFormat = "sluice.worker.v1"

    public static func predictor(json: [UInt8]) throws(SluiceError) -> any Predictor {
        let file: Descriptor
        do {
            file = try JSONDecoder().decode(Descriptor.self, from: Data(json))
        } catch {
            throw SluiceError(.invalidArgument, "the model file is not a JSON object with a \"format\": \(error)")
        }
        let timeout = Duration.seconds(file.timeoutSeconds ?? 60)
        guard timeout > .zero, timeout <= .seconds(3_600) else {
            throw SluiceError(.invalidArgument, "timeoutSeconds must be between 0 and 3600")
        }
        switch file.format {
        case endpointFormat:
            guard let url = file.url else {
                throw SluiceError(.invalidArgument, "a \(endpointFormat) model needs an http(s) \"url\"")
            }
            try OutboundURL.check(url, "a \(endpointFormat) model's \"url\"")
            return HTTPEndpointPredictor(url: url, timeout: timeout)
        case workerFormat:
            return try CommandWorkerPredictor(command: file.command ?? [], workers: file.workers ?? 1, timeout: timeout)
        default:
            return try BuiltInModelPredictor(json: json)
        }
    }

    /// Whether ``predictor(json:)`` would serve the document with a worker command: a program run
    /// on the server. Decided by the very decoding `predictor(json:)` does, so a document that some
    /// other JSON reader sees differently (a repeated key, an odd escape) is judged as it would run.
    public static func runsCommand(json: [UInt8]) -> Bool {
        (try? JSONDecoder().decode(Descriptor.self, from: Data(json)))?.format == workerFormat
    }

    /// The keys that choose and configure a runtime; a built-in model's own keys are ignored here.
    private struct Descriptor: Decodable {
        var format: String
        var url: String?
        var command: [String]?
        var workers: Int?
        var timeoutSeconds: Double?
    }
}
