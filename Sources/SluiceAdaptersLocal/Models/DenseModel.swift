import Foundation
public import SluiceCore
import SluiceWorkflows

/// The built-in model runtime: a stack of dense layers (which covers linear and logistic
/// regression as one layer), loaded from `sluice.dense.v1` JSON:
///
///     {"format": "sluice.dense.v1", "inputs": 64, "labels": ["0", "1", ...],
///      "layers": [{"weights": [[w per input] per output], "bias": [b per output],
///                  "activation": "relu" | "sigmoid" | "softmax" | "linear"}]}
public struct DenseModel: Sendable {
    public enum Activation: String, Sendable {
        case relu, sigmoid, softmax, linear
    }

    struct Layer: Sendable {
        var inputs: Int
        var outputs: Int
        /// Row-major: `outputs` rows of `inputs` weights.
        var weights: [Double]
        var bias: [Double]
        var activation: Activation
    }

    public let inputs: Int
    public let labels: [String]?
    let layers: [Layer]

    /// The number of scores a prediction returns.
    public var outputs: Int { layers.last?.outputs ?? inputs }

    /// Parses and checks a model; every shape mismatch names the layer and what it expected.
    public init(json text: String) throws(SluiceError) {
        let root: WorkflowValue
        do {
            root = try JSONReader.parse(text)
        } catch {
            throw SluiceError(.invalidArgument, "the model is not JSON")
        }
        guard root["format"]?.stringValue == "sluice.dense.v1" else {
            throw SluiceError(.invalidArgument, "the model's format must be \"sluice.dense.v1\"")
        }
        guard case .int(let declaredInputs)? = root["inputs"], declaredInputs > 0 else {
            throw SluiceError(.invalidArgument, "the model's \"inputs\" must be a positive integer")
        }
        let inputs = Int(declaredInputs)
        guard let layerValues = root["layers"]?.listValue, !layerValues.isEmpty else {
            throw SluiceError(.invalidArgument, "the model needs at least one layer")
        }
        var layers: [Layer] = []
        var width = inputs
        for (index, object) in layerValues.enumerated() {
            guard let rows = object["weights"]?.listValue, !rows.isEmpty else {
                throw SluiceError(.invalidArgument, "layer \(index): \"weights\" must be a non-empty list of rows")
            }
            var weights: [Double] = []
            weights.reserveCapacity(rows.count * width)
            for (row, values) in rows.enumerated() {
                let numbers = (values.listValue ?? []).compactMap(Self.number)
                guard numbers.count == width, values.listValue?.count == width else {
                    throw SluiceError(
                        .invalidArgument, "layer \(index): weight row \(row) must hold \(width) numbers")
                }
                weights.append(contentsOf: numbers)
            }
            let bias = (object["bias"]?.listValue ?? []).compactMap(Self.number)
            guard bias.count == rows.count else {
                throw SluiceError(.invalidArgument, "layer \(index): \"bias\" must hold \(rows.count) numbers")
            }
            let name = object["activation"]?.stringValue ?? "linear"
            guard let activation = Activation(rawValue: name) else {
                throw SluiceError(.invalidArgument, "layer \(index): unknown activation \"\(name)\"")
            }
            layers.append(
                Layer(inputs: width, outputs: rows.count, weights: weights, bias: bias, activation: activation))
            width = rows.count
        }
        let labels = root["labels"]?.listValue.map { $0.compactMap(\.stringValue) }
        if let labels, labels.count != width {
            throw SluiceError(.invalidArgument, "the model has \(labels.count) labels for \(width) outputs")
        }
        self.inputs = inputs
        self.labels = labels
        self.layers = layers
    }

    /// The output scores for one input vector.
    public func scores(_ input: [Double]) -> [Double] {
        var current = input
        for layer in layers {
            var next = layer.bias
            current.withUnsafeBufferPointer { x in
                layer.weights.withUnsafeBufferPointer { w in
                    for row in 0..<layer.outputs {
                        var sum = next[row]
                        let offset = row * layer.inputs
                        for column in 0..<layer.inputs { sum += w[offset + column] * x[column] }
                        next[row] = sum
                    }
                }
            }
            Self.activate(&next, layer.activation)
            current = next
        }
        return current
    }

    /// A JSON number (int or double) as a Double; anything else is not a number.
    static func number(_ value: WorkflowValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    static func activate(_ values: inout [Double], _ activation: Activation) {
        switch activation {
        case .linear:
            break
        case .relu:
            for index in values.indices where values[index] < 0 { values[index] = 0 }
        case .sigmoid:
            for index in values.indices { values[index] = 1 / (1 + exp(-values[index])) }
        case .softmax:
            let largest = values.max() ?? 0
            var total = 0.0
            for index in values.indices {
                values[index] = exp(values[index] - largest)
                total += values[index]
            }
            for index in values.indices { values[index] /= total }
        }
    }
}
