import SluiceAdapters
import SluiceAdaptersLocal
import SluiceCore
import Testing

@Suite struct BuiltInModelPredictorTests {
    static func model(_ json: String) throws(SluiceError) -> BuiltInModelPredictor {
        try BuiltInModelPredictor(json: Array(json.utf8))
    }

    static func numbers(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.number)) }

    @Test func aDenseNetworkAppliesWeightsBiasAndActivationsPerLayer() async throws {
        let predictor = try Self.model(
            """
            {"format":"sluice.dense.v1","inputs":2,"labels":["no","yes"],
             "layers":[{"weights":[[1,0],[0,-1]],"bias":[0,0],"activation":"relu"},
                       {"weights":[[1,1],[-1,-1]],"bias":[0,0],"activation":"softmax"}]}
            """
        )
        let predictions = try await predictor.predict(instances: [Self.numbers([2, 3])])
        // Layer 1: relu([2, -3]) = [2, 0]; layer 2: softmax([2, -2]).
        let scores = try #require(predictions[0]["scores"]?.array?.compactMap { $0.number })
        #expect(abs(scores[0] - 0.982_013_790_037_908_5) < 1e-12)
        #expect(predictions[0]["class"] == .number(0))
        #expect(predictions[0]["label"] == .string("no"))
    }

    @Test func linearRegressionReturnsItsValue() async throws {
        let predictor = try Self.model(#"{"format":"sluice.linear.v1","inputs":3,"weights":[1,2,3],"bias":0.5}"#)
        let predictions = try await predictor.predict(instances: [Self.numbers([1, 1, 1]), Self.numbers([0, 0, 2])])
        #expect(predictions.map { $0["value"] } == [.number(6.5), .number(6.5)])
    }

    @Test func binaryLogisticRegressionScoresBothClasses() async throws {
        let predictor = try Self.model(
            #"{"format":"sluice.logistic.v1","inputs":1,"weights":[2],"bias":0,"labels":["cat","dog"]}"#
        )
        let prediction = try #require(try await predictor.predict(instances: [Self.numbers([0])]).first)
        #expect(prediction["scores"] == Self.numbers([0.5, 0.5]))
        let dog = try #require(try await predictor.predict(instances: [Self.numbers([3])]).first)
        #expect(dog["label"] == .string("dog"))
        #expect(dog["class"] == .number(1))
    }

    @Test func multinomialLogisticRegressionUsesSoftmax() async throws {
        let predictor = try Self.model(
            #"{"format":"sluice.logistic.v1","inputs":2,"weights":[[1,0],[0,1],[0,0]],"bias":[0,0,0]}"#
        )
        let prediction = try #require(try await predictor.predict(instances: [Self.numbers([0, 5])]).first)
        #expect(prediction["class"] == .number(1))
        let total = prediction["scores"]?.array?.compactMap { $0.number }.reduce(0, +) ?? 0
        #expect(abs(total - 1) < 1e-12)
    }

    @Test func nestedInstancesAreFlattened() async throws {
        let predictor = try Self.model(#"{"format":"sluice.linear.v1","inputs":4,"weights":[1,1,1,1],"bias":0}"#)
        let prediction = try await predictor.predict(instances: [
            .array([Self.numbers([1, 2]), Self.numbers([3, 4])])
        ])
        #expect(prediction[0]["value"] == .number(10))
    }

    struct BadModel: Sendable, CustomTestStringConvertible {
        var json: String
        var complaint: String
        var testDescription: String { complaint }
    }

    static let badModels: [BadModel] = [
        BadModel(json: "not json", complaint: "not valid model JSON"),
        BadModel(json: #"{"format":"onnx","inputs":1}"#, complaint: "unknown model format"),
        BadModel(json: #"{"format":"sluice.dense.v1","layers":[]}"#, complaint: "\"inputs\""),
        BadModel(json: #"{"format":"sluice.dense.v1","inputs":2,"layers":[]}"#, complaint: "at least one layer"),
        BadModel(
            json:
                #"{"format":"sluice.dense.v1","inputs":2,"layers":[{"weights":[[1,2]],"bias":[0],"activation":"tanh"}]}"#,
            complaint: "unknown activation \"tanh\""
        ),
        BadModel(
            json:
                #"{"format":"sluice.dense.v1","inputs":2,"layers":[{"weights":[[1,2],[3]],"bias":[0,0],"activation":"relu"}]}"#,
            complaint: "layer 0: weights row 1 has 1 values; the layer takes 2 inputs"
        ),
        BadModel(
            json:
                #"{"format":"sluice.dense.v1","inputs":2,"layers":[{"weights":[[1,2]],"bias":[0,0],"activation":"relu"}]}"#,
            complaint: "weights has 1 rows but bias has 2 values"
        ),
        BadModel(
            json:
                #"{"format":"sluice.dense.v1","inputs":1,"layers":[{"weights":[[1],[1]],"bias":[0,0],"activation":"relu"},{"weights":[[1]],"bias":[0],"activation":"linear"}]}"#,
            complaint: "layer 1: weights row 0 has 1 values; the layer takes 2 inputs"
        ),
        BadModel(
            json: #"{"format":"sluice.logistic.v1","inputs":1,"weights":[[1],[2]],"bias":[0,0],"labels":["a"]}"#,
            complaint: "2 classes but 1 labels"
        ),
        BadModel(
            json: #"{"format":"sluice.linear.v1","inputs":1,"bias":0}"#, complaint: "needs \"weights\" and \"bias\""),
    ]

    @Test(arguments: badModels)
    func malformedModelsAreRejectedWithClearErrors(_ bad: BadModel) {
        do {
            _ = try Self.model(bad.json)
            Issue.record("accepted a bad model")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(bad.complaint), "\(error.message)")
        }
    }

    @Test func anInstanceOfTheWrongLengthNamesItsIndex() async throws {
        let predictor = try Self.model(#"{"format":"sluice.linear.v1","inputs":2,"weights":[1,1],"bias":0}"#)
        do {
            _ = try await predictor.predict(instances: [Self.numbers([1, 2]), Self.numbers([1])])
            Issue.record("accepted a short instance")
        } catch {
            #expect(error.message == "instance 1 has 1 values; the model takes 2")
        }
    }

    @Test func anInstanceThatIsNotNumbersIsRejected() async throws {
        let predictor = try Self.model(#"{"format":"sluice.linear.v1","inputs":1,"weights":[1],"bias":0}"#)
        await #expect(throws: SluiceError(.invalidArgument, "")) {
            try await predictor.predict(instances: [.object(["x": .number(1)])])
        }
    }

    @Test func anInstanceThatOverflowsTheModelIsInvalidNotAnInternalFailure() async throws {
        let predictor = try Self.model(#"{"format":"sluice.linear.v1","inputs":2,"weights":[1,1],"bias":0}"#)
        do {
            _ = try await predictor.predict(instances: [Self.numbers([1, 2]), Self.numbers([1e308, 1e308])])
            Issue.record("predicted an infinite value")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("instance 1 is out of the model's range"), "\(error.message)")
        }
    }
}
