import Crypto
public import Foundation
public import SluiceEngine
import Synchronization
import _CryptoExtras

/// Mints the OpenID Connect ID tokens that Google attaches to authenticated push requests, signed
/// by Sluice instead of Google: RS256 JWTs with the claims Pub/Sub sends (`aud`, `azp`, `email`,
/// `email_verified`, `exp`, `iat`, `iss`, `sub`). A receiver verifies them as it verifies Google's,
/// with Sluice's key set (`jwks`) in place of Google's certificates.
///
/// The signing key is created on first use and kept in `keyFile` (0600), so tokens stay
/// verifiable across restarts; without a file it lives for the process only.
public final class ServiceAccountTokenIssuer: IDTokenKeys {
    /// How long a token is valid, as Google's (one hour).
    public static let lifetime: TimeInterval = 3600

    private struct SigningKey: Sendable {
        let key: _RSA.Signing.PrivateKey
        let keyID: String
    }

    private let keyFile: String?
    private let state = Mutex<(key: SigningKey?, issuer: String)>((nil, "http://127.0.0.1:8080"))

    public init(keyFile: String?) {
        self.keyFile = keyFile
    }

    /// The `iss` of every token: the server's own base URL, set once it listens.
    public var issuer: String {
        get { state.withLock { $0.issuer } }
        set { state.withLock { $0.issuer = newValue } }
    }

    /// A signed ID token asserting `serviceAccountEmail`, for `audience`, issued at `now`.
    public func idToken(serviceAccountEmail: String, audience: String, now: Date = Date()) throws -> String {
        let signing = try signingKey()
        let issuedAt = Int64(now.timeIntervalSince1970)
        let subject = Self.subject(of: serviceAccountEmail)
        let header: [String: Any] = ["alg": "RS256", "kid": signing.keyID, "typ": "JWT"]
        let claims: [String: Any] = [
            "aud": audience, "azp": subject, "email": serviceAccountEmail, "email_verified": true,
            "exp": issuedAt + Int64(Self.lifetime), "iat": issuedAt, "iss": issuer, "sub": subject,
        ]
        let signingInput = try Self.base64URL(json: header) + "." + Self.base64URL(json: claims)
        let signature = try signing.key.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Self.base64URL(signature.rawRepresentation)
    }

    /// The public key set (RFC 7517) receivers verify tokens with.
    public func jwks() throws -> [String: Any] {
        let signing = try signingKey()
        let primitives = try signing.key.publicKey.getKeyPrimitives()
        return [
            "keys": [
                [
                    "kty": "RSA", "alg": "RS256", "use": "sig", "kid": signing.keyID,
                    "n": Self.base64URL(primitives.modulus), "e": Self.base64URL(primitives.publicExponent),
                ] as [String: Any]
            ]
        ]
    }

    /// OpenID Connect discovery (`/.well-known/openid-configuration`) for the issuer.
    public func discoveryDocument(jwksPath: String) -> [String: Any] {
        let issuer = self.issuer
        return [
            "issuer": issuer, "jwks_uri": issuer + jwksPath, "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": ["aud", "azp", "email", "email_verified", "exp", "iat", "iss", "sub"],
        ]
    }

    /// Google's subject is the service account's 21-digit unique id; Sluice derives a stable one
    /// from the email, so one account always has the same `sub`.
    static func subject(of email: String) -> String {
        let digest = SHA256.hash(data: Data(email.utf8))
        let number = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let digits = String(number)
        return "1" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    private func signingKey() throws -> SigningKey {
        try state.withLock { state in
            if let key = state.key { return key }
            let key = try loadOrCreateKey()
            let keyID = SHA256.hash(data: key.publicKey.derRepresentation).prefix(20)
                .map { String(format: "%02x", $0) }.joined()
            let signing = SigningKey(key: key, keyID: keyID)
            state.key = signing
            return signing
        }
    }

    private func loadOrCreateKey() throws -> _RSA.Signing.PrivateKey {
        guard let keyFile else { return try _RSA.Signing.PrivateKey(keySize: .bits2048) }
        if FileManager.default.fileExists(atPath: keyFile) {
            do {
                let pem = try String(contentsOfFile: keyFile, encoding: .utf8)
                return try _RSA.Signing.PrivateKey(pemRepresentation: pem)
            } catch {
                throw TokenSigningKeyError(
                    path: keyFile, reason: "cannot read it as an RSA private key in PEM form (\(error))")
            }
        }
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let directory = (keyFile as NSString).deletingLastPathComponent
        let temporary = keyFile + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard
                FileManager.default.createFile(
                    atPath: temporary, contents: Data(key.pemRepresentation.utf8),
                    attributes: [.posixPermissions: 0o600])
            else {
                throw TokenSigningKeyError(path: keyFile, reason: "cannot write it")
            }
            guard rename(temporary, keyFile) == 0 else {
                throw TokenSigningKeyError(path: keyFile, reason: "cannot move it into place (errno \(errno))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        return key
    }

    private static func base64URL(json: [String: Any]) throws -> String {
        base64URL(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// The token signing key file cannot be read or written.
public struct TokenSigningKeyError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "token signing key \(path): \(reason)" }
}
