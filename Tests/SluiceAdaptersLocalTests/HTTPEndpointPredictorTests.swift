import Foundation
import Hummingbird
import SluiceAdapters
import SluiceAdaptersLocal
import SluiceCore
import SluiceTesting
import Testing

@Suite("An HTTP endpoint model speaks Vertex AI's predict protocol and reports failures retryably")
struct HTTPEndpointPredictorTests {
    static let request = PredictionRequest(
        instances: [.array([.number(1), .number(2)])], parameters: .object(["confidenceThreshold": .number(0.5)]),
        idempotencyKey: "run-1/e3")

    /// A router answering `/predict` with `status` and `body`.
    static func answering(_ status: HTTPResponse.Status, _ body: String) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/predict") { _, _ -> Response in
            Response(status: status, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return router
    }

    static func failure(
        _ status: HTTPResponse.Status, _ body: String, instances: Int = 1
    ) async throws -> SluiceError? {
        let caught = Caught()
        try await TestHTTPServer.with(answering(status, body)) { port in
            do throws(SluiceError) {
                _ = try await HTTPEndpointPredictor(url: "http://127.0.0.1:\(port)/predict").predict(request)
            } catch {
                await caught.set(error)
            }
        }
        return await caught.error
    }

    @Test("the request carries the instances, the parameters and the effect's idempotency key")
    func requestShape() async throws {
        let seen = RequestRecorder()
        let router = Router()
        router.post("/predict") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            await seen.record(headers: request.headers, body: String(buffer: body))
            return Response(
                status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"predictions": [{"label": "7"}]}"#)))
        }
        try await TestHTTPServer.with(router) { port in
            let predictions = try await HTTPEndpointPredictor(url: "http://127.0.0.1:\(port)/predict")
                .predict(Self.request)
            #expect(predictions == [.object(["label": .string("7")])])
        }
        let received = try #require(await seen.requests.first)
        #expect(received.headers[.init("Idempotency-Key")!] == "run-1/e3")
        #expect(received.headers[.contentType] == "application/json")
        #expect(received.body == #"{"instances":[[1,2]],"parameters":{"confidenceThreshold":0.5}}"#)
    }

    @Test("an endpoint whose port is past 65535 is refused instead of trapping the process")
    func portOutOfRangeIsRefused() async {
        do {
            _ = try await HTTPEndpointPredictor(url: "http://127.0.0.1:99999/predict").predict(instances: [])
            Issue.record("the prediction was sent")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "model endpoint has port 99999, which is not between 1 and 65535")
        }
    }

    @Test("a 5xx answer is unavailable and keeps the server's message")
    func serverErrorIsUnavailable() async throws {
        let error = try await Self.failure(.serviceUnavailable, #"{"error": "model is loading"}"#)
        #expect(error?.code == .unavailable)
        #expect(error?.message.hasSuffix("answered HTTP 503: model is loading") == true)
    }

    @Test("a 400 answer with a Google error body is invalidArgument with its message")
    func badRequestIsInvalidArgument() async throws {
        let error = try await Self.failure(
            .badRequest,
            #"{"error": {"code": 400, "message": "instance 0 has 3 values", "status": "INVALID_ARGUMENT"}}"#)
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasSuffix("instance 0 has 3 values") == true)
    }

    @Test("a 404 answer is a failed precondition, since retrying a wrong URL cannot help")
    func notFoundIsFailedPrecondition() async throws {
        let error = try await Self.failure(.notFound, "no such route")
        #expect(error?.code == .failedPrecondition)
    }

    @Test("an answer with the wrong number of predictions is the endpoint's fault")
    func wrongCountIsInternal() async throws {
        let error = try await Self.failure(.ok, #"{"predictions": [1, 2]}"#)
        #expect(error?.code == .internalFailure)
        #expect(error?.message.hasSuffix("answered 2 predictions for 1 instances") == true)
    }

    @Test("an endpoint slower than the timeout is unavailable")
    func slowEndpointTimesOut() async throws {
        let router = Router()
        router.post("/predict") { _, _ -> HTTPResponse.Status in
            try await Task.sleep(for: .seconds(3))
            return .ok
        }
        try await TestHTTPServer.with(router) { port in
            let predictor = HTTPEndpointPredictor(url: "http://127.0.0.1:\(port)/predict", timeout: .milliseconds(300))
            await #expect(throws: SluiceError.self) { try await predictor.predict(Self.request) }
        }
    }

    @Test("nothing listening is unavailable")
    func nothingListeningIsUnavailable() async {
        do throws(SluiceError) {
            _ = try await HTTPEndpointPredictor(url: "http://127.0.0.1:9/predict").predict(Self.request)
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .unavailable)
        }
    }
}

/// The error a test server's client saw.
actor Caught {
    var error: SluiceError?
    func set(_ error: SluiceError) { self.error = error }
}
