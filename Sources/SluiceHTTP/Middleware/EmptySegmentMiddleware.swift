public import Hummingbird

/// Answers a path with an empty segment (`/v1/projects/p/topics//t`) with NOT_FOUND. The router
/// skips empty segments, so without this such a path names a different resource (`topics/t`)
/// than the one the client wrote. Cloud Storage paths are left alone: an object name written
/// into the path unencoded may hold `//`, and the storage routes read it whole.
public struct EmptySegmentMiddleware: RouterMiddleware {
    public typealias Context = SluiceRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if path.contains("//"), !Self.storagePrefixes.contains(where: { path.hasPrefix($0) }) {
            throw GoogleErrorResponse.notFound("\(path) has an empty path segment and names no resource")
        }
        return try await next(request, context)
    }

    private static let storagePrefixes = ["/storage/", "/upload/storage/", "/download/storage/"]
}
