import SluiceAdapters
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceWorkflows
import Testing

@Suite("The built-in model runtime answers Vertex AI predict requests")
struct ModelRegistryTests {
    /// x -> relu(x0 - x1), then two softmax classes "low" / "high" that prefer "high" for large values.
    static let tiny = """
        {"format": "sluice.dense.v1", "inputs": 2, "labels": ["low", "high"],
         "layers": [
           {"weights": [[1, -1]], "bias": [0], "activation": "relu"},
           {"weights": [[-1], [1]], "bias": [0.5, -0.5], "activation": "softmax"}
         ]}
        """

    @Test("a prediction names the class and label, in the PredictResponse shape")
    func predictionShape() async throws {
        let registry = ModelRegistry()
        await registry.register("tiny", try BuiltInModelPredictor(json: Array(Self.tiny.utf8)))
        let response = try await registry.predict(
            model: "tiny", body: ["instances": [[3, 1], [0, 5]]], idempotencyKey: "k"
        ).get()
        #expect(response["predictions"]?.listValue?.count == 2)
        #expect(response["predictions"]?.listValue?[0]["label"] == "high")
        #expect(response["predictions"]?.listValue?[1]["label"] == "low")
        #expect(response["model"] == "projects/local/locations/local/models/tiny")
    }

    @Test("a wrong-sized instance is INVALID_ARGUMENT naming it, an unknown model NOT_FOUND")
    func badRequests() async throws {
        let registry = ModelRegistry()
        await registry.register("tiny", try BuiltInModelPredictor(json: Array(Self.tiny.utf8)))
        let wrong = await registry.predict(model: "tiny", body: ["instances": [[1, 2], [1]]], idempotencyKey: "k")
        #expect(wrong == .failure(.invalidArgument("instance 1 has 1 values; the model takes 2")))
        let missing = await registry.predict(model: "nope", body: ["instances": []], idempotencyKey: "k")
        guard case .failure(let error) = missing else {
            Issue.record("expected NOT_FOUND")
            return
        }
        #expect(error.status == "NOT_FOUND")
    }
}
