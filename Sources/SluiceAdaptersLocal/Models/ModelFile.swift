/// The JSON model formats the built-in runtime loads; see ``BuiltInModelPredictor``.
struct ModelFile: Decodable {
    var format: String
    var inputs: Int?
    var layers: [LayerFile]?
    var weights: Matrix?
    var bias: Vector?
    var labels: [String]?

    struct LayerFile: Decodable {
        var weights: Matrix
        var bias: Vector
        var activation: String
    }

    /// `[[Double]]`, or `[Double]` for a single row.
    struct Matrix: Decodable {
        var rows: [[Double]]
        var wasSingleRow: Bool

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let rows = try? container.decode([[Double]].self) {
                self.rows = rows
                wasSingleRow = false
            } else {
                rows = [try container.decode([Double].self)]
                wasSingleRow = true
            }
        }
    }

    /// `[Double]`, or one number.
    struct Vector: Decodable {
        var values: [Double]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let values = try? container.decode([Double].self) {
                self.values = values
            } else {
                values = [try container.decode(Double.self)]
            }
        }
    }
}
