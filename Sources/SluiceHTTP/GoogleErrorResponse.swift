public import Hummingbird
import NIOCore
import SluiceCore

/// A failure as Google APIs report it: the HTTP status and
/// `{"error": {"code", "message", "status"}}`. The one place Sluice error codes become HTTP.
public struct GoogleErrorResponse: HTTPResponseError {
    public var status: HTTPResponse.Status
    public var googleStatus: String
    public var message: String

    public init(status: HTTPResponse.Status, googleStatus: String, message: String) {
        self.status = status
        self.googleStatus = googleStatus
        self.message = message
    }

    /// Maps any error; a `SluiceError` by its code, a response error as it is, the rest as INTERNAL.
    public init(_ error: any Error) {
        if let response = error as? GoogleErrorResponse {
            self = response
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

    public static func invalidArgument(_ message: String) -> GoogleErrorResponse {
        GoogleErrorResponse(status: .badRequest, googleStatus: "INVALID_ARGUMENT", message: message)
    }

    public static func notFound(_ message: String) -> GoogleErrorResponse {
        GoogleErrorResponse(status: .notFound, googleStatus: "NOT_FOUND", message: message)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = JSONObject([
            "error": .object(
                JSONObject([
                    "code": .number(Double(status.code)),
                    "message": .string(message),
                    "status": .string(googleStatus),
                ]))
        ])
        return JSONObject.response(body, status: status)
    }
}
