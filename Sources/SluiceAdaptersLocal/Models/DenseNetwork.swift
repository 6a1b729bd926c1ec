#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stack of fully connected layers with flat, row-major weights.
struct DenseNetwork: Sendable {
    enum Activation: String, Sendable {
        case relu, sigmoid, softmax, linear
    }

    struct Layer: Sendable {
        var inputs: Int
        var units: Int
        /// `units` rows of `inputs` weights each.
        var weights: [Double]
        var bias: [Double]
        var activation: Activation
    }

    var inputs: Int
    var layers: [Layer]

    var outputs: Int { layers.last?.units ?? inputs }

    /// Runs one instance; `scratch` buffers are reused across calls to avoid per-layer allocation.
    func evaluate(_ input: [Double], scratch: inout ([Double], [Double])) -> [Double] {
        let widest = max(inputs, layers.map(\.units).max() ?? 0)
        if scratch.0.count < widest {
            scratch.0 = [Double](repeating: 0, count: widest)
            scratch.1 = [Double](repeating: 0, count: widest)
        }
        for index in 0..<input.count { scratch.0[index] = input[index] }
        for layer in layers {
            layer.weights.withUnsafeBufferPointer { weights in
                scratch.0.withUnsafeBufferPointer { source in
                    scratch.1.withUnsafeMutableBufferPointer { target in
                        for unit in 0..<layer.units {
                            var sum = layer.bias[unit]
                            let row = unit * layer.inputs
                            for column in 0..<layer.inputs {
                                sum += weights[row + column] * source[column]
                            }
                            target[unit] = sum
                        }
                        Self.activate(layer.activation, target, count: layer.units)
                    }
                }
            }
            swap(&scratch.0, &scratch.1)
        }
        return Array(scratch.0[0..<outputs])
    }

    private static func activate(_ activation: Activation, _ values: UnsafeMutableBufferPointer<Double>, count: Int) {
        switch activation {
        case .linear:
            break
        case .relu:
            for index in 0..<count where values[index] < 0 { values[index] = 0 }
        case .sigmoid:
            for index in 0..<count { values[index] = 1 / (1 + exp(-values[index])) }
        case .softmax:
            var largest = -Double.infinity
            for index in 0..<count { largest = max(largest, values[index]) }
            var total = 0.0
            for index in 0..<count {
                values[index] = exp(values[index] - largest)
                total += values[index]
            }
            for index in 0..<count { values[index] /= total }
        }
    }
}
