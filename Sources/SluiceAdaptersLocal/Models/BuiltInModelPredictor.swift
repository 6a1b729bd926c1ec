internal import Foundation
public import SluiceAdapters
public import SluiceCore

/// Runs small models from a JSON file in-process: dense networks, linear and logistic regression.
///
/// Formats (every number is a JSON number; `weights` rows are per output unit):
///
///     {"format": "sluice.dense.v1", "inputs": N,
///      "layers": [{"weights": [[w_unit_input, ...], ...], "bias": [...],
///                  "activation": "relu" | "sigmoid" | "softmax" | "linear"}, ...],
///      "labels": ["...", ...]}                      -- labels optional, one per output
///     {"format": "sluice.linear.v1", "inputs": N, "weights": [...] or [[...], ...], "bias": b or [...]}
///     {"format": "sluice.logistic.v1", "inputs": N, "weights": [...] (binary) or [[...], ...] (multinomial),
///      "bias": b or [...], "labels": [...]}
///
/// Other top-level keys (`name`, `description`, ...) are ignored.
///
/// An instance is an array of `inputs` numbers (nested arrays are flattened, so an 8x8 image
/// may be sent as rows). Each prediction is an object:
/// - `scores`: the output layer's values (probabilities after softmax or sigmoid);
/// - `class` and `label` (when labels are given): the index and label of the highest score,
///   for classifiers (softmax or sigmoid output, and logistic regression);
/// - `value`: the single output of a one-output regression.
/// A binary logistic model's `scores` are `[1 - p, p]`.
public struct BuiltInModelPredictor: Predictor {
    /// The model is arithmetic over weights loaded at start.
    public var isInProcess: Bool { true }

    let network: DenseNetwork
    /// Labels per output class, when the model names them.
    public let labels: [String]?
    let isClassifier: Bool
    let isBinaryLogistic: Bool

    /// The number of values an instance must have.
    public var inputCount: Int { network.inputs }

    /// Loads a model from its JSON text.
    public init(json: [UInt8]) throws(SluiceError) {
        let file: ModelFile
        do {
            file = try JSONDecoder().decode(ModelFile.self, from: Data(json))
        } catch {
            throw SluiceError(.invalidArgument, "the model file is not valid model JSON: \(Self.describe(error))")
        }
        let compiled = try ModelCompiler.compile(file)
        network = compiled.network
        labels = file.labels
        isClassifier = compiled.isClassifier
        isBinaryLogistic = compiled.isBinaryLogistic
        if let labels {
            let classes = isBinaryLogistic ? 2 : network.outputs
            guard labels.count == classes else {
                throw SluiceError(.invalidArgument, "the model has \(classes) classes but \(labels.count) labels")
            }
        }
    }

    /// Loads a model from a file.
    public init(contentsOf path: String) throws(SluiceError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SluiceError(.notFound, "no model file at \(path)")
        }
        try self.init(json: Array(data))
    }

    public func predict(instances: [JSONValue]) async throws(SluiceError) -> [JSONValue] {
        try predictSynchronously(instances)
    }

    /// The same as ``predict(instances:)``, without suspending.
    public func predictSynchronously(_ instances: [JSONValue]) throws(SluiceError) -> [JSONValue] {
        var scratch: ([Double], [Double]) = ([], [])
        var input: [Double] = []
        input.reserveCapacity(network.inputs)
        var predictions: [JSONValue] = []
        predictions.reserveCapacity(instances.count)
        for (index, instance) in instances.enumerated() {
            input.removeAll(keepingCapacity: true)
            guard Self.flatten(instance, into: &input, limit: network.inputs) else {
                throw SluiceError(.invalidArgument, "instance \(index) is not an array of numbers")
            }
            guard input.count == network.inputs else {
                throw SluiceError(
                    .invalidArgument,
                    "instance \(index) has \(input.count) values; the model takes \(network.inputs)"
                )
            }
            let outputs = network.evaluate(input, scratch: &scratch)
            // Values near Double's limits overflow the layers to infinity or NaN, which no JSON
            // number can carry: the instance is out of the model's range, and the caller's to fix.
            guard outputs.allSatisfy(\.isFinite) else {
                throw SluiceError(
                    .invalidArgument, "instance \(index) is out of the model's range: its outputs are not finite")
            }
            predictions.append(prediction(outputs))
        }
        return predictions
    }

    private func prediction(_ outputs: [Double]) -> JSONValue {
        var scores = outputs
        if isBinaryLogistic { scores = [1 - outputs[0], outputs[0]] }
        var result: [String: JSONValue] = ["scores": .array(scores.map(JSONValue.number))]
        if isClassifier {
            var best = 0
            for index in scores.indices where scores[index] > scores[best] { best = index }
            result["class"] = .number(Double(best))
            if let labels { result["label"] = .string(labels[best]) }
        } else if scores.count == 1 {
            result["value"] = .number(scores[0])
        }
        return .object(result)
    }

    private static func flatten(_ value: JSONValue, into values: inout [Double], limit: Int) -> Bool {
        switch value {
        case .number(let number):
            values.append(number)
            return true
        case .array(let elements):
            for element in elements {
                guard values.count <= limit, flatten(element, into: &values, limit: limit) else { return false }
            }
            return true
        default:
            return false
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "malformed JSON" }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "missing \(Self.path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "wrong type or value at \(Self.path(context.codingPath))"
        @unknown default:
            return "malformed JSON"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
