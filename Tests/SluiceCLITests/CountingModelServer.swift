import Foundation
import Hummingbird
import SluiceTesting

/// A Vertex AI-style model endpoint for process tests, honouring `Idempotency-Key` as a model
/// server must for exactly-once effects: the first request with a key is a prediction (counted);
/// a repeat of that key (the engine retrying after a crash) gets the same answer and is not
/// another prediction.
actor CountingModelServer {
    /// Requests per idempotency key.
    private(set) var requests: [String: Int] = [:]

    /// Distinct keys answered: the predictions the server made.
    var predictions: Int { requests.count }
    /// Requests that repeated a key already answered.
    var repeats: Int { requests.values.reduce(0) { $0 + $1 - 1 } }
    /// Requests that carried no key at all.
    private(set) var unkeyed = 0

    private func received(_ key: String?) {
        guard let key, !key.isEmpty else {
            unkeyed += 1
            return
        }
        requests[key, default: 0] += 1
    }

    /// `POST /digits/predict`: one `{"label": "7"}` per instance.
    nonisolated func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/digits/predict") { request, _ -> Response in
            await self.received(request.headers[.init("Idempotency-Key")!])
            let body = try await request.body.collect(upTo: 1 << 20)
            let instances =
                (try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any])?[
                    "instances"] as? [Any] ?? []
            let predictions = Array(repeating: #"{"label": "7"}"#, count: instances.count).joined(separator: ",")
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"predictions": ["# + predictions + "]}")))
        }
        return router
    }

    /// A copy of the example stack whose model `digits` is this server at `port`, in a new
    /// directory; returns the stack file's path.
    static func exampleStack(modelPort port: Int) throws -> String {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../ops/examples/ml-pipeline").standardized
        let directory = ScratchSpace.url("sluice-stack-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: example.appendingPathComponent("pipeline.yaml"), to: directory.appendingPathComponent("pipeline.yaml"))
        let stack = try String(contentsOf: example.appendingPathComponent("stack.yaml"), encoding: .utf8)
            .replacingOccurrences(
                of: "    file: model/digits.json", with: "    url: http://127.0.0.1:\(port)/digits/predict")
        let path = directory.appendingPathComponent("stack.yaml")
        try Data(stack.utf8).write(to: path)
        return path.path
    }
}
