public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import SluiceAdapters
public import SluiceCore
import SluiceResources

/// A model served over HTTP by anything that speaks Vertex AI's or KServe v1's predict protocol:
/// `POST {"instances": [...], "parameters": {...}}` -> `{"predictions": [...]}`.
///
/// Every request carries the effect's `Idempotency-Key`, so a model server can answer a retried
/// or replayed call from what it already computed. Failures keep the workflow's retry policies
/// meaningful: a refused connection, a timeout, 408, 429 and 5xx are `unavailable` (503 to the
/// workflow, which `http.default_retry` retries); 400 and 422 are `invalidArgument`; another 4xx
/// is `failedPrecondition` (a wrong URL or credentials: retrying will not help).
public struct HTTPEndpointPredictor: Predictor {
    /// The endpoint's predict URL.
    public var url: String
    /// How long one prediction may take.
    public var timeout: Duration
    /// Extra headers for every request (e.g. authorization; never logged).
    public var headers: [(name: String, value: String)]
    /// The largest answer accepted.
    public var answerLimit: Int
    private let client: HTTPClient

    public init(
        url: String, timeout: Duration = .seconds(60), headers: [(name: String, value: String)] = [],
        answerLimit: Int = 32 << 20, client: HTTPClient? = nil
    ) {
        self.url = url
        self.timeout = timeout
        self.headers = headers
        self.answerLimit = answerLimit
        self.client = client ?? OutboundHTTPClient.shared
    }

    public func predict(instances: [JSONValue]) async throws(SluiceError) -> [JSONValue] {
        try await predict(PredictionRequest(instances: instances, idempotencyKey: UUID().uuidString))
    }

    public func predict(_ prediction: PredictionRequest) async throws(SluiceError) -> [JSONValue] {
        try OutboundURL.check(url, "model endpoint")
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: prediction.idempotencyKey)
        for header in headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: PredictionWire.requestBody(prediction)))
        let status: UInt
        let answer: [UInt8]
        do {
            let response = try await client.execute(request, deadline: .now() + TimeAmount(timeout))
            status = response.status.code
            answer = Array(buffer: try await response.body.collect(upTo: answerLimit))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw SluiceError(.unavailable, "model endpoint \(url) did not answer within \(timeout)")
        } catch {
            throw SluiceError(.unavailable, "cannot reach model endpoint \(url): \(error)")
        }
        guard (200..<300).contains(status) else {
            throw Self.failure(status: status, answer: answer, url: url)
        }
        return try PredictionWire.predictions(
            in: answer, instances: prediction.instances.count, backend: "model endpoint \(url)",
            errorCode: .invalidArgument)
    }

    /// The error for a non-2xx answer, with the server's own message when it sent one.
    static func failure(status: UInt, answer: [UInt8], url: String) -> SluiceError {
        let said =
            (try? JSONDecoder().decode(JSONValue.self, from: Data(answer))).flatMap(PredictionWire.errorMessage)
            ?? PredictionWire.preview(answer)
        let message = "model endpoint \(url) answered HTTP \(status)" + (said.isEmpty ? "" : ": \(said)")
        switch status {
        case 400, 422: return SluiceError(.invalidArgument, message)
        case 408, 429, 500...: return SluiceError(.unavailable, message)
        default: return SluiceError(.failedPrecondition, message)
        }
    }
}
