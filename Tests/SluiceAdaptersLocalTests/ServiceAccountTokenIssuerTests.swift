import Foundation
import SluiceAdaptersLocal
import SluiceTesting
import Testing

@Suite("ID tokens for authenticated push verify with the published key set")
struct ServiceAccountTokenIssuerTests {
    /// Verifies `token` with the RSA key the issuer's JWKS publishes and returns its claims.
    static func verifiedClaims(_ token: String, issuer: ServiceAccountTokenIssuer) throws -> [String: Any] {
        try IDTokenVerifier.claims(of: token, jwks: try issuer.jwks())
    }

    /// Whether `token`'s RS256 signature verifies with the key its `kid` names in the JWKS.
    static func signatureIsValid(_ token: String, issuer: ServiceAccountTokenIssuer) throws -> Bool {
        (try? verifiedClaims(token, issuer: issuer)) != nil
    }

    @Test("a token carries Pub/Sub's claims and its signature verifies with the JWKS key")
    func tokenVerifies() throws {
        let issuer = ServiceAccountTokenIssuer(keyFile: nil)
        issuer.issuer = "http://127.0.0.1:9999"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let token = try issuer.idToken(
            serviceAccountEmail: "pusher@proj.iam.gserviceaccount.com", audience: "https://receiver/push", now: now)
        let claims = try Self.verifiedClaims(token, issuer: issuer)
        #expect(claims["aud"] as? String == "https://receiver/push")
        #expect(claims["email"] as? String == "pusher@proj.iam.gserviceaccount.com")
        #expect(claims["email_verified"] as? Bool == true)
        #expect(claims["iss"] as? String == "http://127.0.0.1:9999")
        #expect((claims["iat"] as? NSNumber)?.int64Value == 1_800_000_000)
        #expect((claims["exp"] as? NSNumber)?.int64Value == 1_800_003_600)
        let subject = try #require(claims["sub"] as? String)
        #expect(subject.count == 21 && subject.allSatisfy(\.isNumber))
        #expect(claims["azp"] as? String == subject)
    }

    @Test("a token whose claims were changed does not verify")
    func tamperedTokenFails() throws {
        let issuer = ServiceAccountTokenIssuer(keyFile: nil)
        let token = try issuer.idToken(serviceAccountEmail: "a@b.iam.gserviceaccount.com", audience: "x")
        var parts = token.split(separator: ".").map(String.init)
        let forged = try JSONSerialization.data(withJSONObject: ["aud": "x", "email": "admin@b"])
        parts[1] = forged.base64EncodedString().replacingOccurrences(of: "=", with: "")
        #expect(try Self.signatureIsValid(token, issuer: issuer))
        #expect(try !Self.signatureIsValid(parts.joined(separator: "."), issuer: issuer))
    }

    @Test("the signing key is kept in its file with mode 0600 and reused after a restart")
    func keyPersists() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-oidc-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/identity/key.pem"
        let first = ServiceAccountTokenIssuer(keyFile: file)
        let token = try first.idToken(serviceAccountEmail: "a@b.iam.gserviceaccount.com", audience: "x")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let restarted = ServiceAccountTokenIssuer(keyFile: file)
        _ = try Self.verifiedClaims(token, issuer: restarted)
    }

    @Test("a key file that is not a PEM key is refused with its path, not replaced")
    func corruptKeyFileIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-oidc-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/key.pem"
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: file))
        let issuer = ServiceAccountTokenIssuer(keyFile: file)
        #expect(throws: TokenSigningKeyError.self) { try issuer.idToken(serviceAccountEmail: "a@b", audience: "x") }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "not a key")
    }
}
