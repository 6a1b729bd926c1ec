public import SluiceCore
public import SluiceWorkflows

/// An error as a Google API reports it (`{"error": {"code", "message", "status"}}`), which a
/// workflow receives as an `HttpError` with that body, exactly as from the real service.
public struct GoogleAPIError: Error, Sendable, Hashable {
    public var code: Int64
    public var status: String
    public var message: String

    public init(code: Int64, status: String, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    public static func notFound(_ message: String) -> GoogleAPIError {
        .init(code: 404, status: "NOT_FOUND", message: message)
    }
    public static func invalidArgument(_ message: String) -> GoogleAPIError {
        .init(code: 400, status: "INVALID_ARGUMENT", message: message)
    }
    public static func unavailable(_ message: String) -> GoogleAPIError {
        .init(code: 503, status: "UNAVAILABLE", message: message)
    }
    public static func unimplemented(_ message: String) -> GoogleAPIError {
        .init(code: 501, status: "UNIMPLEMENTED", message: message)
    }

    /// The error body Google sends.
    public var body: WorkflowValue {
        .object(["error": .object(["code": .int(code), "message": .string(message), "status": .string(status)])])
    }

    /// What a workflow's `except` sees: `HttpError` with `code`, `headers` and this body.
    public var workflowError: WorkflowError {
        .httpError(code: code, headers: .object(["content-type": "application/json; charset=UTF-8"]), body: body)
    }
}

extension GoogleAPIError {
    /// A Sluice error as the Google API that stands for the failing component would report it.
    public init(_ error: SluiceError) {
        switch error.code {
        case .invalidArgument: self = .invalidArgument(error.message)
        case .notFound: self = .notFound(error.message)
        case .alreadyExists: self.init(code: 409, status: "ALREADY_EXISTS", message: error.message)
        case .wrongExpectedVersion: self.init(code: 409, status: "ABORTED", message: error.message)
        case .failedPrecondition: self.init(code: 400, status: "FAILED_PRECONDITION", message: error.message)
        case .unavailable: self = .unavailable(error.message)
        default: self.init(code: 500, status: "INTERNAL", message: error.message)
        }
    }
}
