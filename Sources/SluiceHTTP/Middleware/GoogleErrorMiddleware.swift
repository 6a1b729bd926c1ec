public import Hummingbird

/// Turns every error a route or a later middleware throws (a missing route, a body over the
/// limit, a bug) into Google's JSON error, so clients never see a plain-text body.
public struct GoogleErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The middleware; it has no settings.
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw GoogleErrorResponse(error)
        }
    }
}
