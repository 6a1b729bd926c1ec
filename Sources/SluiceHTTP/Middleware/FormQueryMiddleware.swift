public import Hummingbird

/// Reads `+` in a query string as a space, as Google's front ends do. Python `requests`
/// (and so the REST transports of Google's Python clients) and HTML forms write a space in a
/// query value as `+` (`filter=state%3D%22FAILED%22+AND+...`, `orderBy=startTime+desc`), while
/// the router's query decoding keeps it a plus. A literal plus arrives as `%2B` and stays one.
///
/// The query is rewritten once, here, so every route and every query reader (the router's
/// decoding and the strict one of the storage routes) sees the same text. The path is left
/// alone: there `+` is an ordinary character (`/o/a+b.txt` names `a+b.txt`).
public struct FormQueryMiddleware: RouterMiddleware {
    public typealias Context = SluiceRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let target = request.head.path, let question = target.firstIndex(of: "?"),
            target[question...].contains("+")
        else {
            return try await next(request, context)
        }
        var head = request.head
        head.path = String(target[..<question]) + target[question...].replacing("+", with: "%20")
        return try await next(Request(head: head, body: request.body), context)
    }
}
