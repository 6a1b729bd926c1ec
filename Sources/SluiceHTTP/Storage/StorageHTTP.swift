import Foundation
import Hummingbird
import NIOCore
import SluiceCore
import SluiceResources

/// What every Cloud Storage route shares: the link base, JSON responses and request parsing.
enum StorageHTTP {
    /// The server's own address, from the Host header, so `selfLink` and `mediaLink` are
    /// reachable by the client that asked (clients download from `mediaLink` as given).
    static func links(_ request: Request) -> ObjectLinks {
        let host = request.head.authority ?? "127.0.0.1"
        return .serving("http://" + host)
    }

    /// A header name we know is valid.
    static func header(_ name: String) -> HTTPFields.Element.Name {
        guard let header = HTTPFields.Element.Name(name) else { preconditionFailure("\(name) is not a header name") }
        return header
    }

    /// `value` as a JSON response, written by ``SortedJSONEncoder`` (the bytes `JSONEncoder` writes
    /// with sorted keys, several times faster: every upload answers with an object resource).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=UTF-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: try SortedJSONEncoder.encode(value))))
    }

    /// An object resource, rendered without the generic encoder (same bytes).
    static func json(_ resource: ObjectResource, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=UTF-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: resource.jsonBytes())))
    }

    static func empty(_ status: HTTPResponse.Status = .noContent) -> Response {
        Response(status: status, headers: [.contentLength: "0"])
    }

    /// The object name after `/o/`: percent-decoded, whether the client encoded `/` or not.
    static func objectName(_ context: some RequestContext) throws -> String {
        let raw = context.parameters.get(String(Parameters.recursiveCaptureKey)) ?? ""
        guard let decoded = PercentDecoding.decode(raw), !decoded.isEmpty else {
            throw GoogleErrorResponse.invalidArgument("the object name in the path is not valid percent-encoding")
        }
        return decoded
    }

    /// A query parameter decoded strictly, as a path is: INVALID_ARGUMENT when its escapes do not
    /// spell UTF-8. The router's own decoding turns such bytes into U+FFFD, and two different
    /// object names (`%ff%fe` and `%fe%ff`) would then name the same object.
    static func strictQueryParameter(_ request: Request, _ name: String) throws -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == name else { continue }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            guard let decoded = PercentDecoding.decode(raw) else {
                throw GoogleErrorResponse.invalidArgument("?\(name)= is not valid percent-encoded UTF-8")
            }
            return decoded
        }
        return nil
    }

    static func bucket(_ context: some RequestContext) throws -> String {
        try context.parameters.decoded("bucket")
    }

    static func int64(_ request: Request, _ name: String) throws -> Int64? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Int64(text) else {
            throw GoogleErrorResponse.invalidArgument("\(name) must be an integer, not \(text)")
        }
        return value
    }

    static func preconditions(_ request: Request) throws -> ObjectPreconditions {
        ObjectPreconditions(
            ifGenerationMatch: try int64(request, "ifGenerationMatch"),
            ifGenerationNotMatch: try int64(request, "ifGenerationNotMatch"),
            ifMetagenerationMatch: try int64(request, "ifMetagenerationMatch"),
            ifMetagenerationNotMatch: try int64(request, "ifMetagenerationNotMatch"))
    }

    /// A JSON request body, bounded; malformed JSON is INVALID_ARGUMENT.
    static func body<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int = 1 << 20) async throws -> T {
        try decode(T.self, try await bodyBytes(request, limit: limit))
    }

    /// A request body's bytes, bounded.
    static func bodyBytes(_ request: Request, limit: Int = 1 << 20) async throws -> [UInt8] {
        Array(try await request.body.collect(upTo: limit).readableBytesView)
    }

    /// `bytes` as JSON of `T`; malformed JSON is INVALID_ARGUMENT.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw GoogleErrorResponse.invalidArgument("the request body is not the expected JSON: \(error)")
        }
    }

    /// Member `key` of the JSON object in `bytes`, a map of strings (or nulls, which a PATCH uses
    /// to delete keys), read byte-exactly: `JSONDecoder` merges keys that differ only in Unicode
    /// normalization, which Cloud Storage keeps apart. Nil when the member is absent or null.
    static func exactMap(_ key: String, of bytes: [UInt8]) throws -> [(key: String, value: String?)]? {
        let body: ExactJSON
        do { body = try ExactJSON.parse(bytes) } catch {
            throw GoogleErrorResponse.invalidArgument("the request body is not the expected JSON: \(error)")
        }
        guard let member = body[key], !member.isNull else { return nil }
        guard case .object(let members) = member else {
            throw GoogleErrorResponse.invalidArgument("\(key) must be an object of strings")
        }
        return try members.map { entry in
            switch entry.value {
            case .string(let text): return (entry.key, text)
            case .null: return (entry.key, nil)
            default: throw GoogleErrorResponse.invalidArgument("\(key).\(entry.key) must be a string")
            }
        }
    }

    /// ``exactMap(_:of:)`` for a member that may not hold nulls, such as an upload's metadata.
    static func exactStringMap(_ key: String, of bytes: [UInt8]) throws -> ExactStringMap? {
        try exactMap(key, of: bytes).map { entries in
            ExactStringMap(
                pairs: try entries.map { entry in
                    guard let value = entry.value else {
                        throw GoogleErrorResponse.invalidArgument("\(key).\(entry.key) must be a string")
                    }
                    return (entry.key, value)
                })
        }
    }

    /// Cloud Storage's statuses: a failed precondition is 412, not 400.
    static func error(_ error: any Error) -> GoogleErrorResponse {
        if let error = error as? SluiceError, error.code == .failedPrecondition {
            return GoogleErrorResponse(
                status: .preconditionFailed, googleStatus: "FAILED_PRECONDITION", message: error.message)
        }
        return GoogleErrorResponse(error)
    }

}
