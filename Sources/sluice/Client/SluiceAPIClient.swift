import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore

/// Calls a Sluice server's HTTP API for the CLI's `--server` mode. The token is read from
/// `SLUICE_TOKEN` and sent as a bearer token; it is never printed. A non-2xx answer becomes an
/// error carrying the server's Google-format status and message.
struct SluiceAPIClient: Sendable {
    let base: String
    let token: String? = ProcessInfo.processInfo.environment["SLUICE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }

    /// A failed call, as the server described it.
    struct Failure: Error, CustomStringConvertible {
        var status: UInt
        var message: String
        var description: String { "the server answered \(status): \(message)" }
    }

    /// Sends one request and returns the body of a 2xx answer.
    func call(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json")
        async throws -> [UInt8]
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, deadline: .now() + .seconds(120))
        } catch {
            throw SluiceError(.unavailable, "cannot reach \(base): \(error)")
        }
        let bytes = Array(buffer: try await response.body.collect(upTo: 256 << 20))
        guard (200..<300).contains(response.status.code) else {
            let error =
                (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])?["error"] as? [String: Any]
            let message = [error?["status"] as? String, error?["message"] as? String].compactMap { $0 }
                .joined(separator: ": ")
            throw Failure(
                status: response.status.code,
                message: message.isEmpty ? String(decoding: bytes, as: UTF8.self) : message)
        }
        return bytes
    }

    /// `call` for a JSON object answer.
    func json(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> [String: Any] {
        let data = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        let answer = try await call(method, path, body: data)
        guard !answer.isEmpty else { return [:] }
        guard let object = try JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any] else {
            throw SluiceError(.internalFailure, "the server's answer to \(path) is not a JSON object")
        }
        return object
    }

    /// A JSON value as one line of text, keys sorted.
    static func line(_ value: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A path segment or query value, percent-encoded.
    static func encoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
