import Crypto
import Foundation
import SluiceAdaptersLocal
import Testing
import _CryptoExtras

@Suite("ID tokens for authenticated push verify with the published key set")
struct ServiceAccountTokenIssuerTests {
    static func decode(_ part: Substring) throws -> Data {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        return try #require(Data(base64Encoded: text))
    }

    /// Verifies `token` with the RSA key the issuer's JWKS publishes and returns its claims.
    static func verifiedClaims(_ token: String, issuer: ServiceAccountTokenIssuer) throws -> [String: Any] {
        try #require(try signatureIsValid(token, issuer: issuer))
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return try #require(try JSONSerialization.jsonObject(with: decode(parts[1])) as? [String: Any])
    }

    /// Whether `token`'s RS256 signature verifies with the key its `kid` names in the JWKS.
    static func signatureIsValid(_ token: String, issuer: ServiceAccountTokenIssuer) throws -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        let header = try #require(try JSONSerialization.jsonObject(with: decode(parts[0])) as? [String: Any])
        let keys = try #require(try issuer.jwks()["keys"] as? [[String: Any]])
        let key = try #require(keys.first { $0["kid"] as? String == header["kid"] as? String })
        #expect(header["alg"] as? String == "RS256")
        let publicKey = try _RSA.Signing.PublicKey(
            n: decode(Substring(try #require(key["n"] as? String))),
            e: decode(Substring(try #require(key["e"] as? String))))
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try decode(parts[2]))
        let signed = Data("\(parts[0]).\(parts[1])".utf8)
        return publicKey.isValidSignature(signature, for: signed, padding: .insecurePKCS1v1_5)
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
