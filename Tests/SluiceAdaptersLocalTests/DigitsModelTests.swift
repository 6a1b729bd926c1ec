import Foundation
import SluiceAdapters
import SluiceAdaptersLocal
import Testing

/// The example model in ops/examples/ml-pipeline/model must agree with scikit-learn.
@Suite struct DigitsModelTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ops/examples/ml-pipeline/model")

    struct Expected: Decodable {
        var trueLabel: Int
        var sklearnPrediction: Int
        var sklearnScores: [Double]
    }

    struct Request: Decodable {
        var instances: [JSONValue]
    }

    @Test func theCommittedModelClassifiesEverySampleAsScikitLearnDid() async throws {
        let predictor = try BuiltInModelPredictor(
            contentsOf: Self.folder.appendingPathComponent("digits.model.json").path)
        #expect(predictor.inputCount == 64)
        let samples = Self.folder.appendingPathComponent("samples")
        let expected = try JSONDecoder().decode(
            [String: Expected].self, from: Data(contentsOf: samples.appendingPathComponent("expected.json"))
        )
        #expect(expected.count >= 5)
        for (file, want) in expected.sorted(by: { $0.key < $1.key }) {
            let request = try JSONDecoder().decode(
                Request.self, from: Data(contentsOf: samples.appendingPathComponent(file)))
            let predictions = try await predictor.predict(instances: request.instances)
            #expect(predictions.count == 1)
            #expect(predictions[0]["class"] == .number(Double(want.sklearnPrediction)), "\(file)")
            #expect(predictions[0]["label"] == .string(String(want.sklearnPrediction)), "\(file)")
            let scores = try #require(predictions[0]["scores"]?.array?.compactMap { $0.number })
            for (ours, theirs) in zip(scores, want.sklearnScores) {
                #expect(abs(ours - theirs) < 1e-5, "\(file): score \(ours) vs scikit-learn \(theirs)")
            }
        }
    }
}
