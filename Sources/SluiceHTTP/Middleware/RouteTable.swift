import Hummingbird

/// A router front that remembers which methods each path has, so a known path asked with another
/// method answers 405 with `Allow` (Hummingbird alone answers 404).
final class RouteTable<Context: RequestContext>: RouterMethods {
    let router: Router<Context>
    private var paths: [String: (path: RouterPath, methods: [HTTPRequest.Method])] = [:]

    init(_ router: Router<Context>) {
        self.router = router
    }

    @discardableResult
    func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self
    where Responder.Context == Context {
        paths[path.description, default: (path, [])].methods.append(method)
        router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult
    func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }

    /// Adds a 405 responder for every common method a path does not have.
    func answerMethodNotAllowed() {
        let common: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        for (path, methods) in paths.values {
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            for method in common where !methods.contains(method) {
                router.on(path, method: method) { request, _ -> Response in
                    throw GoogleErrorResponse(
                        status: .methodNotAllowed, googleStatus: "UNIMPLEMENTED",
                        message: "\(request.method.rawValue) is not allowed here; allowed: \(allow)",
                        headers: [.allow: allow])
                }
            }
        }
    }
}
