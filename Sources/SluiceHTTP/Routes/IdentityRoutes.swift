import Hummingbird
import SluiceEngine

/// The issuer side of authenticated push: `GET /.well-known/openid-configuration` and the key
/// set at `GET /oauth2/v3/certs` (Google's path), open without a token as Google's are, so an
/// endpoint verifies a push's ID token with its usual OpenID Connect library.
struct IdentityRoutes: Sendable {
    static let discoveryPath = "/.well-known/openid-configuration"
    static let keySetPath = "/oauth2/v3/certs"

    let keys: any IDTokenKeys

    func add(to table: RouteTable<SluiceRequestContext>) {
        table.get(RouterPath(Self.discoveryPath)) { _, _ in
            try Self.cacheable(PubSubJSON.response(keys.discoveryDocument(jwksPath: Self.keySetPath)))
        }
        table.get(RouterPath(Self.keySetPath)) { _, _ in try Self.cacheable(PubSubJSON.response(try keys.jwks())) }
    }

    private static func cacheable(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "public, max-age=300"
        return response
    }
}
