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
        let directory = ScratchSpace.url("sluice-oidc-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/identity/key.pem"
        let first = ServiceAccountTokenIssuer(keyFile: file)
        let token = try first.idToken(serviceAccountEmail: "a@b.iam.gserviceaccount.com", audience: "x")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let restarted = ServiceAccountTokenIssuer(keyFile: file)
        _ = try Self.verifiedClaims(token, issuer: restarted)
    }

    @Test("after a rotation tokens use the new key, and tokens signed before still verify with the key set")
    func rotationKeepsOldTokensVerifiable() throws {
        let directory = ScratchSpace.url("sluice-oidc-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let issuer = ServiceAccountTokenIssuer(keyFile: directory + "/identity/key.pem")
        let before = try issuer.idToken(serviceAccountEmail: "a@b.iam.gserviceaccount.com", audience: "x")
        let (fresh, retired) = try issuer.rotate()
        let after = try issuer.idToken(serviceAccountEmail: "a@b.iam.gserviceaccount.com", audience: "x")
        let kids = (try issuer.jwks()["keys"] as? [[String: Any]] ?? []).compactMap { $0["kid"] as? String }
        #expect(kids == [fresh, try #require(retired)])
        _ = try Self.verifiedClaims(before, issuer: issuer)
        _ = try Self.verifiedClaims(after, issuer: issuer)
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory + "/identity/retired")
        #expect(kept == ["\(try #require(retired)).pub.pem"])
        let text = try String(contentsOfFile: directory + "/identity/retired/" + kept[0], encoding: .utf8)
        #expect(text.contains("PUBLIC KEY") && !text.contains("PRIVATE"))
    }

    @Test("a rotation by another process is picked up at the next token")
    func rotationElsewhereIsPickedUp() throws {
        let directory = ScratchSpace.url("sluice-oidc-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServiceAccountTokenIssuer(keyFile: directory + "/key.pem")
        _ = try server.idToken(serviceAccountEmail: "a@b.iam.gserviceaccount.com", audience: "x")
        let (fresh, _) = try ServiceAccountTokenIssuer(keyFile: directory + "/key.pem").rotate()
        let token = try server.idToken(serviceAccountEmail: "a@b.iam.gserviceaccount.com", audience: "x")
        let header =
            try JSONSerialization.jsonObject(
                with: IDTokenVerifier.bytes(token.split(separator: ".")[0])) as? [String: Any]
        #expect(header?["kid"] as? String == fresh)
    }

    @Test("keys retired longer ago than twice a token's lifetime leave the key set and the disk")
    func oldRetiredKeysArePruned() throws {
        let directory = ScratchSpace.url("sluice-oidc-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let issuer = ServiceAccountTokenIssuer(keyFile: directory + "/key.pem")
        let longAgo = Date().addingTimeInterval(-3 * ServiceAccountTokenIssuer.lifetime)
        let (_, first) = try issuer.rotate(now: longAgo)
        #expect(first == nil)
        let (_, second) = try issuer.rotate(now: longAgo)
        #expect((try issuer.jwks()["keys"] as? [Any])?.count == 1)
        let (current, third) = try issuer.rotate()
        let kids = (try issuer.jwks()["keys"] as? [[String: Any]] ?? []).compactMap { $0["kid"] as? String }
        #expect(kids == [current, try #require(third)])
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory + "/retired")
        #expect(!kept.contains("\(try #require(second)).pub.pem"))
    }

    @Test("a key file that is not a PEM key is refused with its path, not replaced")
    func corruptKeyFileIsRefused() throws {
        let directory = ScratchSpace.url("sluice-oidc-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/key.pem"
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: file))
        let issuer = ServiceAccountTokenIssuer(keyFile: file)
        #expect(throws: TokenSigningKeyError.self) { try issuer.idToken(serviceAccountEmail: "a@b", audience: "x") }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "not a key")
    }
}
