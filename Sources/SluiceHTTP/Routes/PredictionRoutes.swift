import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SluiceEngine
import SluiceWorkflows

/// Vertex AI v1 `:predict` on `projects/*/locations/*/endpoints/*` (and `.../models/*`), served
/// by Sluice's models: `{"instances": [...], "parameters": ...}` ->
/// `{"predictions": [...], "deployedModelId", "model", "modelDisplayName", ...}`.
struct PredictionRoutes: Sendable {
    let models: (any ModelEndpoints)?

    func add(to routes: RoleRoutes) {
        for collection in ["endpoints", "models"] {
            let path = "/v1/projects/:project/locations/:location/\(collection)/:target"
            routes(.invoker).post(RouterPath(path)) { request, context in
                let target = try context.parameters.decoded("target")
                guard target.hasSuffix(":predict") else {
                    throw GoogleErrorResponse.notFound("no method \(target) on \(collection)")
                }
                let endpoint = String(target.dropLast(":predict".count))
                let body = try await Self.predictRequest(request, limit: context.maxUploadSize)
                return try await predict(endpoint, body: body, request: request)
            }
        }
    }

    private func predict(_ endpoint: String, body: WorkflowValue, request: Request) async throws -> Response {
        guard let models else {
            throw GoogleErrorResponse.notFound("Endpoint \(endpoint) not found: this server has no models")
        }
        let key = request.headers[.idempotencyKey] ?? "predict/" + UUID().uuidString.lowercased()
        switch await models.predict(model: endpoint, body: body, idempotencyKey: key) {
        case .success(let response):
            let text: String
            do { text = try response.jsonString() } catch {
                throw GoogleErrorResponse(
                    status: .internalServerError, googleStatus: "INTERNAL", message: "the prediction is not JSON")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=UTF-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        case .failure(let error):
            throw GoogleErrorResponse(
                status: HTTPResponse.Status(code: Int(error.code)), googleStatus: error.status, message: error.message)
        }
    }

    /// The request body: a JSON object whose `instances` is a list.
    private static func predictRequest(_ request: Request, limit: Int) async throws -> WorkflowValue {
        let bytes = try await request.body.collect(upTo: limit)
        let body: WorkflowValue
        do { body = try JSONReader.parse(String(buffer: bytes)) } catch {
            throw GoogleErrorResponse.invalidArgument("the request body is not JSON")
        }
        guard case .map = body else {
            throw GoogleErrorResponse.invalidArgument("the request body must be a PredictRequest JSON object")
        }
        guard body["instances"]?.listValue != nil else {
            throw GoogleErrorResponse.invalidArgument("\"instances\" must be a list")
        }
        return body
    }
}

extension HTTPField.Name {
    /// `Idempotency-Key`, which the engine sends on effects and a predict passes to the model.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
