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

    @Test("dense layers compute relu and softmax as written")
    func denseLayersCompute() throws {
        let model = try DenseModel(json: Self.tiny)
        let scores = model.scores([3, 1])
        // hidden = relu(2) = 2; logits = [-1.5, 1.5]; softmax = [0.0474, 0.9526]
        #expect(abs(scores[1] - 0.952574) < 1e-5)
        #expect(abs(scores[0] + scores[1] - 1) < 1e-12)
        #expect(model.scores([0, 5]).map { ($0 * 1e6).rounded() } == [731_059, 268_941])
    }

    @Test("a prediction names the class and label, in the PredictResponse shape")
    func predictionShape() async throws {
        let registry = ModelRegistry()
        await registry.register("tiny", try DenseModel(json: Self.tiny))
        let response = try await registry.predict(
            model: "tiny", body: ["instances": [[3, 1], ["values": [0, 5]]]], idempotencyKey: "k"
        ).get()
        #expect(response["predictions"]?.listValue?.count == 2)
        #expect(response["predictions"]?.listValue?[0]["label"] == "high")
        #expect(response["predictions"]?.listValue?[1]["label"] == "low")
        #expect(response["model"] == "projects/local/locations/local/models/tiny")
    }

    @Test("a wrong-sized instance is INVALID_ARGUMENT naming it, an unknown model NOT_FOUND")
    func badRequests() async throws {
        let registry = ModelRegistry()
        await registry.register("tiny", try DenseModel(json: Self.tiny))
        let wrong = await registry.predict(model: "tiny", body: ["instances": [[1, 2], [1]]], idempotencyKey: "k")
        #expect(wrong == .failure(.invalidArgument("instance 1 must hold 2 numbers")))
        let missing = await registry.predict(model: "nope", body: ["instances": []], idempotencyKey: "k")
        guard case .failure(let error) = missing else {
            Issue.record("expected NOT_FOUND")
            return
        }
        #expect(error.status == "NOT_FOUND")
    }

    @Test("model files with the wrong shape are refused with the layer and row named")
    func malformedModelsAreRefused() {
        #expect(throws: SluiceError.self) { try DenseModel(json: "[]") }
        do {
            _ = try DenseModel(
                json: #"{"format":"sluice.dense.v1","inputs":2,"layers":[{"weights":[[1,2],[3]],"bias":[0,0]}]}"#)
            Issue.record("a ragged weight matrix was accepted")
        } catch {
            #expect(error.message == "layer 0: weight row 1 must hold 2 numbers")
        }
        #expect(throws: SluiceError.self) {
            try DenseModel(
                json:
                    #"{"format":"sluice.dense.v1","inputs":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"tanh"}]}"#
            )
        }
    }
}
