public import Hummingbird
import NIOCore

/// Refuses a declared body over the limit before reading it (413, see
/// ``GoogleErrorResponse/bodyTooLarge(limit:hint:)``), and gives routes the limit
/// for bodies without a length: `request.body.collect(upTo: context.maxUploadSize)`. Storage
/// uploads (`/upload/...`) are left to their routes, which allow much larger objects.
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = SluiceRequestContext

    let limit: Int

    /// Refuses bodies over `limit` bytes.
    public init(limit: Int) {
        self.limit = limit
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // Cloud Storage uploads stream large bodies and enforce their own, larger limit.
        if request.uri.path.hasPrefix("/upload/") { return try await next(request, context) }
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw GoogleErrorResponse.bodyTooLarge(limit: limit)
        }
        var context = context
        context.maxUploadSize = limit
        do {
            return try await next(request, context)
        } catch is NIOTooManyBytesError {
            throw GoogleErrorResponse.bodyTooLarge(limit: limit)
        }
    }
}
