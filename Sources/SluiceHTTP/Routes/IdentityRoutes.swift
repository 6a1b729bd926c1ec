import Foundation
import Hummingbird
import SluiceCore
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

    /// `POST /v1/sluice/identity:rotateSigningKey` (admin): a new signing key now, the old one
    /// still verifying for a while; answers `{"keyId", "retiredKeyId"}`.
    func addRotation(to routes: RoleRoutes) {
        routes(.admin).post("/v1/sluice/identity:rotateSigningKey") { _, _ in
            let rotated: (keyID: String, retiredKeyID: String?)
            do { rotated = try keys.rotate(now: Date()) } catch {
                throw GoogleErrorResponse(SluiceError(.storageFailure, "cannot rotate the signing key: \(error)"))
            }
            var body = JSONObject(["keyId": .string(rotated.keyID)])
            body.set("retiredKeyId", rotated.retiredKeyID.map(JSONField.string))
            return JSONObject.response(body)
        }
    }

    private static func cacheable(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "public, max-age=300"
        return response
    }
}
