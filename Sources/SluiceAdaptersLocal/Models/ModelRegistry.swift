import Foundation
import OrderedCollections
public import SluiceCore
public import SluiceEngine
public import SluiceWorkflows

/// The models Sluice serves, by name, answering Vertex AI `:predict` requests:
/// `{"instances": [[...], ...]}` -> `{"predictions": [...], "deployedModelId", "model", ...}`.
///
/// An instance is a list of numbers, or a map holding one under `values`. A prediction is
/// `{"scores": [...], "class": i, "label": "..."}` for a model with labels, else `{"scores": [...]}`.
public actor ModelRegistry: ModelEndpoints {
    private var models: [String: DenseModel] = [:]

    public init() {}

    /// Loads every `NAME.json` in `directory` as model NAME; a missing directory loads nothing.
    public init(directory: String) throws(SluiceError) {
        var loaded: [String: DenseModel] = [:]
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files.sorted() where file.hasSuffix(".json") {
            let name = String(file.dropLast(".json".count))
            guard let data = FileManager.default.contents(atPath: directory + "/" + file) else {
                throw SluiceError(.storageFailure, "cannot read model file \(directory)/\(file)")
            }
            do {
                loaded[name] = try DenseModel(json: String(decoding: data, as: UTF8.self))
            } catch {
                throw SluiceError(.invalidArgument, "model \(name) (\(directory)/\(file)): \(error.message)")
            }
        }
        models = loaded
    }

    public func register(_ name: String, _ model: DenseModel) {
        models[name] = model
    }

    public var names: [String] { models.keys.sorted() }

    public func predict(model name: String, body: WorkflowValue, idempotencyKey: String) async -> Result<
        WorkflowValue, GoogleAPIError
    > {
        guard let model = models[name] else {
            return .failure(.notFound("Endpoint \(name) not found: no Sluice model has that name"))
        }
        guard let instances = body["instances"]?.listValue else {
            return .failure(.invalidArgument("\"instances\" must be a list"))
        }
        var predictions: [WorkflowValue] = []
        predictions.reserveCapacity(instances.count)
        for (index, instance) in instances.enumerated() {
            let raw = instance.listValue ?? instance["values"]?.listValue ?? []
            let input = raw.compactMap(DenseModel.number)
            guard input.count == model.inputs, raw.count == model.inputs else {
                return .failure(.invalidArgument("instance \(index) must hold \(model.inputs) numbers"))
            }
            let scores = model.scores(input)
            var prediction: [(String, WorkflowValue)] = [("scores", .list(scores.map(WorkflowValue.double)))]
            if let labels = model.labels, let best = scores.indices.max(by: { scores[$0] < scores[$1] }) {
                prediction.append(("class", .int(Int64(best))))
                prediction.append(("label", .string(labels[best])))
            }
            var map = WorkflowValue.object([:]).mapValue ?? [:]
            for (key, value) in prediction { map[key] = value }
            predictions.append(.map(map))
        }
        return .success(
            .object([
                "predictions": .list(predictions),
                "deployedModelId": "1",
                "model": .string("projects/local/locations/local/models/\(name)"),
                "modelVersionId": "1",
                "modelDisplayName": .string(name),
            ]))
    }
}
