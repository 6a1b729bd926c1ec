import Foundation
public import Hummingbird

/// Finds the bearer token of a request. When auth is required, every route but the health checks
/// and the ID token keys needs an active token (401 otherwise); when it is not, a valid Sluice
/// token still names the principal, and any other header (a Google OAuth token, say) is ignored.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = SluiceRequestContext

    /// Routes a load balancer or supervisor probes without credentials, and the public keys a
    /// push endpoint verifies ID tokens with.
    static let openPaths: Set<String> = [
        "/healthz", "/readyz", IdentityRoutes.discoveryPath, IdentityRoutes.keySetPath,
    ]

    let tokens: TokenDirectory?
    let required: Bool

    /// Checks secrets against `tokens`; `required` refuses requests without a valid one.
    public init(tokens: TokenDirectory?, required: Bool) {
        self.tokens = tokens
        self.required = required
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        var context = context
        let secret = Self.bearer(request.headers[.authorization])
        if let secret, let token = await tokens?.authenticate(secret) {
            context.token = token
        } else if required {
            throw GoogleErrorResponse.unauthenticated(
                secret == nil
                    ? "this server requires an Authorization: Bearer header with a Sluice token"
                    : "the bearer token is unknown, revoked or malformed")
        }
        return try await next(request, context)
    }

    /// The credentials of `Bearer <credentials>`; the scheme is case-insensitive.
    static func bearer(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let credentials = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return credentials.isEmpty ? nil : credentials
    }
}

/// Lets a request through only when its token's role is at least `role`; a request without a
/// token passes only because auth is off (the authentication middleware refused it otherwise).
public struct RoleMiddleware: RouterMiddleware {
    public typealias Context = SluiceRequestContext

    let role: Role

    /// Requires at least `role`.
    public init(_ role: Role) {
        self.role = role
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let token = context.token, token.role < role {
            throw GoogleErrorResponse.permissionDenied(
                "token \(token.id) has role \(token.role.rawValue); \(request.method.rawValue) \(request.uri.path) needs \(role.rawValue)"
            )
        }
        return try await next(request, context)
    }
}
