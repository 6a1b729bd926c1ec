import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceAdaptersLocal
import SluiceHTTP
import Testing

@Suite("Vertex AI :predict answers from Sluice's models as the PredictionService does")
struct PredictionAPITests {
    /// Two inputs; label "high" when the first exceeds the second.
    static let tiny =
        #"{"format": "sluice.dense.v1", "inputs": 2, "labels": ["low", "high"], "layers": [{"weights": [[1, -1]], "bias": [0], "activation": "relu"}, {"weights": [[-1], [1]], "bias": [0.5, -0.5], "activation": "softmax"}]}"#

    private func fixture() async throws -> APIFixture {
        let fixture = APIFixture()
        await fixture.models.register("tiny", try BuiltInModelPredictor(json: Array(Self.tiny.utf8)))
        return fixture
    }

    @Test("a predict on an endpoint returns one prediction per instance and the model's names")
    func endpointPredict() async throws {
        let fixture = try await fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/endpoints/tiny:predict?%24alt=json%3Benum-encoding%3Dint", method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"instances": [[3.0, 1.0], [0.0, 2.0]], "parameters": {"t": 0.1}}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let body = APIFixture.json(response.body)
                let predictions = body["predictions"] as? [[String: Any]] ?? []
                #expect(predictions.map { $0["label"] as? String } == ["high", "low"])
                #expect(body["deployedModelId"] as? String == "1")
                #expect(body["modelDisplayName"] as? String == "tiny")
                #expect((body["model"] as? String)?.hasSuffix("/models/tiny") == true)
            }
        }
    }

    @Test("a predict on models/M:predict reaches the same model")
    func modelPredict() async throws {
        let fixture = try await fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/models/tiny:predict", method: .post,
                body: ByteBuffer(string: #"{"instances": [{"values": [3, 1]}]}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect((APIFixture.json(response.body)["predictions"] as? [Any])?.count == 1)
            }
        }
    }

    @Test("an unknown endpoint is NOT_FOUND in Google's error format")
    func unknownEndpointIsNotFound() async throws {
        let fixture = try await fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/endpoints/nope:predict", method: .post,
                body: ByteBuffer(string: #"{"instances": [[1, 2]]}"#)
            ) { response in
                #expect(response.status == .notFound)
                let error = APIFixture.error(response.body)
                #expect(error["status"] as? String == "NOT_FOUND")
                #expect(error["code"] as? Int == 404)
            }
        }
    }

    @Test("instances that are not a list are INVALID_ARGUMENT")
    func instancesNotAListIsInvalid() async throws {
        let fixture = try await fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/endpoints/tiny:predict", method: .post,
                body: ByteBuffer(string: #"{"instances": {"a": 1}}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(APIFixture.error(response.body)["status"] as? String == "INVALID_ARGUMENT")
            }
        }
    }

    @Test("an instance of the wrong width is INVALID_ARGUMENT naming the instance")
    func wrongWidthIsInvalid() async throws {
        let fixture = try await fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/endpoints/tiny:predict", method: .post,
                body: ByteBuffer(string: #"{"instances": [[1, 2], [1, 2, 3]]}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect((APIFixture.error(response.body)["message"] as? String)?.contains("instance 1") == true)
            }
        }
    }

    @Test("a method other than :predict on an endpoint is NOT_FOUND")
    func otherMethodIsNotFound() async throws {
        let fixture = try await fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/endpoints/tiny:explain", method: .post, body: ByteBuffer(string: "{}")
            ) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
