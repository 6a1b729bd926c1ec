public import Hummingbird
import NIOCore
import NIOHTTP1
import SluiceCore

/// A failure as Google APIs report it: the HTTP status and
/// `{"error": {"code", "message", "status"}}`. The one place Sluice error codes become HTTP.
public struct GoogleErrorResponse: HTTPResponseError {
    public var status: HTTPResponse.Status
    public var googleStatus: String
    public var message: String
    /// Headers the status calls for, such as `WWW-Authenticate` on a 401 or `Allow` on a 405.
    public var headers: HTTPFields
    /// `google.rpc` detail messages (each with its `@type`), such as an `ErrorInfo` that
    /// clients read to tell which of several ack ids failed.
    public var details: [JSONObject]

    public init(
        status: HTTPResponse.Status, googleStatus: String, message: String, headers: HTTPFields = [:],
        details: [JSONObject] = []
    ) {
        self.status = status
        self.googleStatus = googleStatus
        self.message = message
        self.headers = headers
        self.details = details
    }

    /// A `google.rpc.ErrorInfo` detail: a machine-readable reason and its metadata.
    public static func errorInfo(reason: String, domain: String, metadata: [String: String]) -> JSONObject {
        var entries = JSONObject([:])
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { entries.set(key, .string(value)) }
        return JSONObject([
            "@type": .string("type.googleapis.com/google.rpc.ErrorInfo"),
            "reason": .string(reason),
            "domain": .string(domain),
            "metadata": .object(entries),
        ])
    }

    /// Maps any error: a `SluiceError` by its code, another HTTP error by its status, the rest
    /// as INTERNAL (whose message never carries the error's own text).
    public init(_ error: any Error) {
        if let response = error as? GoogleErrorResponse {
            self = response
            return
        }
        if let response = error as? any HTTPResponseError {
            self.init(status: response.status)
            return
        }
        // A body that breaks HTTP/1.1's framing (a chunk size that is not hex, or overflows)
        // surfaces while a route reads the body: the client's fault, and not worth a retry.
        if let parsing = error as? HTTPParserError {
            self.init(
                status: .badRequest, googleStatus: "INVALID_ARGUMENT",
                message: "the request is not valid HTTP/1.1: \(parsing)")
            return
        }
        guard let error = error as? SluiceError else {
            self.init(status: .internalServerError, googleStatus: "INTERNAL", message: "internal error")
            return
        }
        switch error.code {
        case .invalidArgument: self.init(status: .badRequest, googleStatus: "INVALID_ARGUMENT", message: error.message)
        case .notFound: self.init(status: .notFound, googleStatus: "NOT_FOUND", message: error.message)
        case .alreadyExists: self.init(status: .conflict, googleStatus: "ALREADY_EXISTS", message: error.message)
        case .wrongExpectedVersion: self.init(status: .conflict, googleStatus: "ABORTED", message: error.message)
        case .failedPrecondition:
            self.init(status: .badRequest, googleStatus: "FAILED_PRECONDITION", message: error.message)
        case .unavailable: self.init(status: .serviceUnavailable, googleStatus: "UNAVAILABLE", message: error.message)
        default: self.init(status: .internalServerError, googleStatus: "INTERNAL", message: error.message)
        }
    }

    /// A bare HTTP status (a route that does not exist, a body over the limit) in Google's form.
    init(status: HTTPResponse.Status) {
        let googleStatus: String
        let message: String
        switch status.code {
        case 400: (googleStatus, message) = ("INVALID_ARGUMENT", "the request is malformed")
        case 401: (googleStatus, message) = ("UNAUTHENTICATED", "the request needs a valid bearer token")
        case 403: (googleStatus, message) = ("PERMISSION_DENIED", "the token's role does not allow this")
        case 404: (googleStatus, message) = ("NOT_FOUND", "no such resource or method")
        case 405: (googleStatus, message) = ("UNIMPLEMENTED", "this method is not allowed on this resource")
        case 409: (googleStatus, message) = ("ABORTED", "the request conflicts with the resource's state")
        case 413: (googleStatus, message) = ("INVALID_ARGUMENT", "the request body is larger than the server accepts")
        case 429: (googleStatus, message) = ("RESOURCE_EXHAUSTED", "too many requests")
        case 501: (googleStatus, message) = ("UNIMPLEMENTED", "not implemented")
        case 503: (googleStatus, message) = ("UNAVAILABLE", "the service is unavailable")
        case 400..<500: (googleStatus, message) = ("FAILED_PRECONDITION", status.reasonPhrase)
        default: (googleStatus, message) = ("INTERNAL", "internal error")
        }
        self.init(status: status, googleStatus: googleStatus, message: message)
    }

    public static func invalidArgument(_ message: String) -> GoogleErrorResponse {
        GoogleErrorResponse(status: .badRequest, googleStatus: "INVALID_ARGUMENT", message: message)
    }

    public static func notFound(_ message: String) -> GoogleErrorResponse {
        GoogleErrorResponse(status: .notFound, googleStatus: "NOT_FOUND", message: message)
    }

    /// 401: no bearer token, or one that is unknown, revoked or malformed.
    public static func unauthenticated(_ message: String) -> GoogleErrorResponse {
        GoogleErrorResponse(
            status: .unauthorized, googleStatus: "UNAUTHENTICATED", message: message,
            headers: [.wwwAuthenticate: "Bearer realm=\"sluice\""])
    }

    /// 403: a valid token whose role is below what the route needs.
    public static func permissionDenied(_ message: String) -> GoogleErrorResponse {
        GoogleErrorResponse(status: .forbidden, googleStatus: "PERMISSION_DENIED", message: message)
    }

    /// A body over the configured limit: 413, with the status and message Google's API front end
    /// gives a too-large payload (a Pub/Sub publish over 10 MB): INVALID_ARGUMENT, "Request
    /// payload size exceeds the limit: N bytes." Google answers 400; an operator's limit is
    /// what 413 says, and a client's retry logic treats both as final. `hint` says what to do
    /// instead, when there is a way.
    public static func bodyTooLarge(limit: Int, hint: String? = nil) -> GoogleErrorResponse {
        GoogleErrorResponse(
            status: .contentTooLarge, googleStatus: "INVALID_ARGUMENT",
            message: "Request payload size exceeds the limit: \(limit) bytes." + (hint.map { " " + $0 } ?? ""))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var error = JSONObject([
            "code": .number(Double(status.code)),
            "message": .string(message),
            "status": .string(googleStatus),
        ])
        if !details.isEmpty { error.set("details", .array(details.map(JSONField.object))) }
        let body = JSONObject(["error": .object(error)])
        var response = JSONObject.response(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
