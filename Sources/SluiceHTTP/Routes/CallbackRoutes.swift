import Foundation
import Hummingbird
import OrderedCollections
import SluiceCore
import SluiceEngine
import SluiceWorkflows

/// Callback endpoints for `events.await_callback`:
/// `/v1/projects/P/locations/L/workflows/W/executions/E/callbacks/ID` with the method the
/// workflow chose. The request (`http_request` with body, headers, method, query and url,
/// `received_time`, `type: HTTP`, as Workflows hands it to the await; credential headers left out)
/// is recorded before the answer, 200 `{}`; an execution that does not exist is 404, one that has ended 400
/// FAILED_PRECONDITION. A method other than the one the endpoint was created for is 404 NOT_FOUND
/// (Google's APIs answer with canonical codes, and 405 is none), and a request too large for the
/// awaiting execution to hold is 413 INVALID_ARGUMENT: neither is recorded, so the await goes on.
struct CallbackRoutes: Sendable {
    let broker: CallbackBroker
    let runner: ExecutionRunner

    /// Headers left out of the recorded request: they carry the caller's secrets.
    static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]

    func add(to routes: RoleRoutes) {
        let path = RouterPath(
            "/v1/projects/:project/locations/:location/workflows/:workflow/executions/:execution/callbacks/:callback")
        let group = routes(.invoker)
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch, .options, .head] {
            group.on(path, method: method) { request, context in
                try await receive(request, context: context)
            }
        }
    }

    private func receive(_ request: Request, context: SluiceRequestContext) async throws -> Response {
        let execution = try context.parameters.decoded("execution")
        let callback = try context.parameters.decoded("callback")
        let history: ExecutionHistory
        do { history = try await runner.history(of: try ExecutionID(execution)) } catch {
            throw GoogleErrorResponse(error)
        }
        guard history.start != nil else { throw GoogleErrorResponse.notFound("execution \(execution) does not exist") }
        guard history.ending == nil else {
            throw GoogleErrorResponse(SluiceError(.failedPrecondition, "execution \(execution) has ended"))
        }
        if let method = CallbackBroker.method(of: callback, in: history), method != request.method.rawValue {
            throw GoogleErrorResponse.notFound(
                "callback \(callback) of execution \(execution) takes \(method) requests, not \(request.method.rawValue)"
            )
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let text = String(buffer: buffer)
        let body: WorkflowValue =
            text.isEmpty
            ? .null
            : (request.headers[.contentType]?.contains("json") == true
                ? ((try? JSONReader.parse(text)) ?? .string(text)) : .string(text))
        var headers: [(String, WorkflowValue)] = []
        // The caller's credentials authorize this request only: recorded, they would sit in the
        // log for every viewer to read, and in the workflow's variables.
        for field in request.headers where !Self.credentialHeaders.contains(field.name.canonicalName) {
            headers.append((field.name.canonicalName, .string(field.value)))
        }
        var query: [(String, WorkflowValue)] = []
        for (key, value) in request.uri.queryParameters { query.append((String(key), .list([.string(String(value))]))) }
        let captured = WorkflowValue.object([
            "http_request": .object([
                "body": body, "headers": Self.map(headers), "method": .string(request.method.rawValue),
                "query": Self.map(query), "url": .string(request.uri.path),
            ]),
            "received_time": .string(ISO8601DateFormatter().string(from: Date())),
            "type": "HTTP",
        ])
        // The await returns this value into a variable: one the execution cannot hold would fail
        // it, so the sender is refused instead and the execution goes on waiting.
        if captured.storageProblem(maximumBytes: Limits.maximumValueBytes) != nil
            || (try? captured.jsonString())?.utf8.count ?? .max > Limits.maximumValueBytes
        {
            throw GoogleErrorResponse.bodyTooLarge(
                limit: Limits.maximumValueBytes,
                hint: "A callback's request, as the awaiting execution receives it, must fit in one workflow value.")
        }
        do {
            try await broker.receive(execution: execution, callback: callback, request: captured)
        } catch {
            throw GoogleErrorResponse(error)
        }
        return JSONObject.response(JSONObject([:]))
    }

    private static func map(_ pairs: [(String, WorkflowValue)]) -> WorkflowValue {
        .map(OrderedDictionary(pairs, uniquingKeysWith: { first, _ in first }))
    }
}
