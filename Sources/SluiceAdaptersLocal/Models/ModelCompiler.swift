import SluiceCore

/// Checks a model file's shapes and turns it into a ``DenseNetwork``.
enum ModelCompiler {
    struct Compiled {
        var network: DenseNetwork
        var isClassifier: Bool
        var isBinaryLogistic: Bool
    }

    static func compile(_ file: ModelFile) throws(SluiceError) -> Compiled {
        guard let inputs = file.inputs, inputs > 0 else {
            throw SluiceError(.invalidArgument, "the model needs a positive \"inputs\" count")
        }
        switch file.format {
        case "sluice.dense.v1":
            guard let layerFiles = file.layers, !layerFiles.isEmpty else {
                throw SluiceError(.invalidArgument, "a dense model needs at least one layer")
            }
            var layers: [DenseNetwork.Layer] = []
            var width = inputs
            for (index, layerFile) in layerFiles.enumerated() {
                guard let activation = DenseNetwork.Activation(rawValue: layerFile.activation) else {
                    throw SluiceError(
                        .invalidArgument,
                        "layer \(index): unknown activation \"\(layerFile.activation)\"; use relu, sigmoid, softmax or linear"
                    )
                }
                let layer = try makeLayer(
                    layerFile.weights.rows, layerFile.bias.values, inputs: width, activation, "layer \(index)")
                layers.append(layer)
                width = layer.units
            }
            let last = layers[layers.count - 1].activation
            return Compiled(
                network: DenseNetwork(inputs: inputs, layers: layers),
                isClassifier: last == .softmax || last == .sigmoid,
                isBinaryLogistic: false
            )
        case "sluice.linear.v1", "sluice.logistic.v1":
            guard let weights = file.weights, let bias = file.bias else {
                throw SluiceError(.invalidArgument, "a \(file.format) model needs \"weights\" and \"bias\"")
            }
            let logistic = file.format == "sluice.logistic.v1"
            let binary = logistic && weights.rows.count == 1
            let activation: DenseNetwork.Activation = logistic ? (binary ? .sigmoid : .softmax) : .linear
            let layer = try makeLayer(weights.rows, bias.values, inputs: inputs, activation, "the model")
            return Compiled(
                network: DenseNetwork(inputs: inputs, layers: [layer]),
                isClassifier: logistic,
                isBinaryLogistic: binary
            )
        default:
            throw SluiceError(
                .invalidArgument,
                "unknown model format \"\(file.format)\"; use sluice.dense.v1, sluice.linear.v1 or sluice.logistic.v1"
            )
        }
    }

    private static func makeLayer(
        _ rows: [[Double]],
        _ bias: [Double],
        inputs: Int,
        _ activation: DenseNetwork.Activation,
        _ name: String
    ) throws(SluiceError) -> DenseNetwork.Layer {
        guard !rows.isEmpty else { throw SluiceError(.invalidArgument, "\(name): weights has no rows") }
        guard bias.count == rows.count else {
            throw SluiceError(
                .invalidArgument, "\(name): weights has \(rows.count) rows but bias has \(bias.count) values")
        }
        for (index, row) in rows.enumerated() where row.count != inputs {
            throw SluiceError(
                .invalidArgument,
                "\(name): weights row \(index) has \(row.count) values; the layer takes \(inputs) inputs"
            )
        }
        let flat = rows.flatMap { $0 }
        guard flat.allSatisfy(\.isFinite), bias.allSatisfy(\.isFinite) else {
            throw SluiceError(.invalidArgument, "\(name): weights and bias must be finite numbers")
        }
        return DenseNetwork.Layer(inputs: inputs, units: rows.count, weights: flat, bias: bias, activation: activation)
    }
}
