import Foundation
import SluiceAdapters
import SluiceCore

/// The JSON a model backend outside the process is sent and answers: Vertex AI's and KServe
/// v1's `{"instances": [...], "parameters": {...}}` -> `{"predictions": [...]}`.
enum PredictionWire {
    /// The request body; `idempotencyKey` is added for command workers, which have no headers.
    static func requestBody(_ request: PredictionRequest, includingKey: Bool = false) -> [UInt8] {
        var body: [String: JSONValue] = ["instances": .array(request.instances)]
        if let parameters = request.parameters { body["parameters"] = parameters }
        if includingKey { body["idempotencyKey"] = .string(request.idempotencyKey) }
        // Encoding a JSONValue cannot fail: it holds only JSON.
        return Array((try? encoder.encode(JSONValue.object(body))) ?? Data("{}".utf8))
    }

    /// The predictions in an answer, checked to hold one per instance.
    ///
    /// An answer that is not JSON, has no `predictions` list, or has the wrong number of them is
    /// the backend's fault, reported as `internalFailure` naming `backend`. An answer carrying an
    /// `error` (KServe's `{"error": "..."}`, Google's `{"error": {"message": ...}}`) is reported
    /// with `errorCode`.
    static func predictions(
        in answer: [UInt8], instances: Int, backend: String, errorCode: SluiceError.Code
    ) throws(SluiceError) -> [JSONValue] {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(answer)) else {
            throw SluiceError(.internalFailure, "\(backend) answered something that is not JSON: \(preview(answer))")
        }
        if let message = errorMessage(value) {
            throw SluiceError(errorCode, "\(backend): \(message)")
        }
        guard let predictions = value["predictions"]?.array else {
            throw SluiceError(
                .internalFailure, "\(backend) answered without a \"predictions\" list: \(preview(answer))")
        }
        guard predictions.count == instances else {
            throw SluiceError(
                .internalFailure,
                "\(backend) answered \(predictions.count) predictions for \(instances) instances")
        }
        return predictions
    }

    /// The message of an error answer, in the shapes model servers use.
    static func errorMessage(_ value: JSONValue) -> String? {
        switch value["error"] {
        case .string(let message)?: message
        case .object(let error)?:
            if case .string(let message)? = error["message"] { message } else { "an error without a message" }
        default: nil
        }
    }

    /// The start of a body, for error messages.
    static func preview(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(200), as: UTF8.self)
        return bytes.count > 200 ? text + "..." : text
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
