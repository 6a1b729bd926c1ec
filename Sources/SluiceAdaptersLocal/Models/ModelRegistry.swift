import Foundation
public import SluiceAdapters
public import SluiceCore
public import SluiceEngine
public import SluiceWorkflows

/// The models Sluice serves, by name, answering Vertex AI `:predict` requests:
/// `{"instances": [[...], ...]}` -> `{"predictions": [...], "deployedModelId", "model", ...}`.
///
/// Any ``Predictor`` can be registered; a directory of `NAME.json` model files loads each with
/// the runtime its format names (``ModelRuntimes``). The registry only translates between the workflow world's values
/// and the predictor's JSON, so every runtime answers in the same PredictResponse shape.
public actor ModelRegistry: ModelEndpoints {
    private var models: [String: any Predictor] = [:]

    public init() {}

    /// Loads every `NAME.json` in `directory` as model NAME; a missing directory loads nothing.
    public init(directory: String) throws(SluiceError) {
        var loaded: [String: any Predictor] = [:]
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files.sorted() where file.hasSuffix(".json") {
            let name = String(file.dropLast(".json".count))
            do throws(SluiceError) {
                guard let json = FileManager.default.contents(atPath: directory + "/" + file) else {
                    throw SluiceError(.notFound, "cannot read the file")
                }
                loaded[name] = try ModelRuntimes.predictor(json: Array(json))
            } catch {
                throw SluiceError(error.code, "model \(name) (\(directory)/\(file)): \(error.message)")
            }
        }
        models = loaded
    }

    /// Serves `model` as `name`, replacing (and stopping) the model served under it before.
    public func register(_ name: String, _ model: any Predictor) async {
        let replaced = models.updateValue(model, forKey: name)
        await (replaced as? CommandWorkerPredictor)?.stop()
    }

    /// Stops serving `name`.
    public func unregister(_ name: String) async {
        let removed = models.removeValue(forKey: name)
        await (removed as? CommandWorkerPredictor)?.stop()
    }

    public var names: [String] { models.keys.sorted() }

    public func isInProcess(model name: String) -> Bool {
        models[name]?.isInProcess ?? true
    }

    public func predict(model name: String, body: WorkflowValue, idempotencyKey: String) async -> Result<
        WorkflowValue, GoogleAPIError
    > {
        guard let model = models[name] else {
            return .failure(.notFound("Endpoint \(name) not found: no Sluice model has that name"))
        }
        guard let instances = body["instances"]?.listValue else {
            return .failure(.invalidArgument("\"instances\" must be a list"))
        }
        let predictions: [JSONValue]
        do {
            // An instance may also be `{"values": [...]}`, the shape tabular Vertex models take.
            let unwrapped = instances.map { $0["values"] ?? $0 }
            predictions = try await model.predict(
                PredictionRequest(
                    instances: unwrapped.map(JSONBridge.json), parameters: body["parameters"].map(JSONBridge.json),
                    idempotencyKey: idempotencyKey))
        } catch {
            return .failure(GoogleAPIError(error))
        }
        return .success(
            .object([
                "predictions": .list(predictions.map(JSONBridge.workflowValue)),
                "deployedModelId": "1",
                "model": .string("projects/local/locations/local/models/\(name)"),
                "modelVersionId": "1",
                "modelDisplayName": .string(name),
            ]))
    }
}
