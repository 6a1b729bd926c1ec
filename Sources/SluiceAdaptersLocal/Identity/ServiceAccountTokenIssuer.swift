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
/// verifiable across restarts; without a file it lives for the process only. `rotate` replaces
/// it: the old key's public half moves to `retired/KID.pub.pem` beside the file and stays in the
/// key set for twice a token's lifetime, so tokens signed just before still verify. A rotation
/// by another process (`sluice admin rotate-signing-key`) is picked up at the next token.
public final class ServiceAccountTokenIssuer: IDTokenKeys {
    /// How long a token is valid, as Google's (one hour).
    public static let lifetime: TimeInterval = 3600
    /// How long a retired key stays in the key set.
    public static let retiredKeyLifetime: TimeInterval = 2 * lifetime

    private struct SigningKey: Sendable {
        let key: _RSA.Signing.PrivateKey
        let keyID: String
        /// The key file's inode and modification time when it was read, to notice a rotation.
        let fileStamp: FileStamp?
    }

    private let keyFile: String?
    private let state = Mutex<(key: SigningKey?, issuer: String)>((nil, "http://127.0.0.1:8080"))
    /// Retired public keys when there is no key file to keep them beside.
    private let retiredInMemory = Mutex<[(key: _RSA.Signing.PublicKey, retiredAt: Date)]>([])

    public init(keyFile: String?) {
        self.keyFile = keyFile
    }

    /// The key file of the server whose data directory is `directory`.
    public static func keyFile(inDataDirectory directory: String) -> String {
        directory + "/identity/token-signing-key.pem"
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

    /// The public key set (RFC 7517) receivers verify tokens with: the current key, then the
    /// keys retired less than `retiredKeyLifetime` ago, newest first.
    public func jwks() throws -> [String: Any] {
        let signing = try signingKey()
        var keys = [try Self.jwk(signing.key.publicKey, keyID: signing.keyID)]
        for retired in retiredKeys(since: Date().addingTimeInterval(-Self.retiredKeyLifetime)) {
            keys.append(try Self.jwk(retired.key, keyID: retired.keyID))
        }
        return ["keys": keys]
    }

    /// Replaces the signing key; returns the new key's id and the retired one's (nil when there
    /// was none). Tokens are signed with the new key from now on.
    @discardableResult
    public func rotate(now: Date = Date()) throws -> (keyID: String, retiredKeyID: String?) {
        try state.withLock { state in
            // The file's key, not the one in memory: another process may have rotated since.
            let onFile = keyFile.map { FileManager.default.fileExists(atPath: $0) } == true
            let old = onFile ? try loadKey() : state.key
            if let old, let keyFile {
                try retire(old, beside: keyFile, at: now)
            } else if let old {
                retiredInMemory.withLock { $0.insert((old.key.publicKey, now), at: 0) }
            }
            let fresh = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            if let keyFile { try Self.write(fresh, to: keyFile) }
            let signing = SigningKey(
                key: fresh, keyID: Self.keyID(of: fresh), fileStamp: keyFile.flatMap(FileStamp.init(path:)))
            state.key = signing
            return (signing.keyID, old?.keyID)
        }
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

    /// The current key: the one in memory while the file is unchanged, else the file's (read
    /// again after another process rotated it), else a new one.
    private func signingKey() throws -> SigningKey {
        try state.withLock { state in
            if let key = state.key, key.fileStamp == keyFile.flatMap(FileStamp.init(path:)) { return key }
            let signing: SigningKey
            if let keyFile, FileManager.default.fileExists(atPath: keyFile) {
                signing = try loadKey()
            } else {
                let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
                if let keyFile { try Self.write(key, to: keyFile) }
                signing = SigningKey(
                    key: key, keyID: Self.keyID(of: key), fileStamp: keyFile.flatMap(FileStamp.init(path:)))
            }
            state.key = signing
            return signing
        }
    }

    private func loadKey() throws -> SigningKey {
        guard let keyFile else { throw TokenSigningKeyError(path: "", reason: "no key file") }
        let stamp = FileStamp(path: keyFile)
        do {
            let key = try _RSA.Signing.PrivateKey(
                pemRepresentation: try String(contentsOfFile: keyFile, encoding: .utf8))
            return SigningKey(key: key, keyID: Self.keyID(of: key), fileStamp: stamp)
        } catch {
            throw TokenSigningKeyError(
                path: keyFile, reason: "cannot read it as an RSA private key in PEM form (\(error))")
        }
    }

    /// Keeps the public half of `old` in `retired/`, and forgets retired keys past their use.
    private func retire(_ old: SigningKey, beside keyFile: String, at now: Date) throws {
        let directory = Self.retiredDirectory(beside: keyFile)
        let file = directory + "/" + old.keyID + ".pub.pem"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(old.key.publicKey.pemRepresentation.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
            try FileManager.default.setAttributes([.modificationDate: now], ofItemAtPath: file)
        } catch {
            throw TokenSigningKeyError(path: file, reason: "cannot keep the retired public key (\(error))")
        }
        for stale in retiredFiles() where stale.retiredAt < now.addingTimeInterval(-Self.retiredKeyLifetime) {
            try? FileManager.default.removeItem(atPath: stale.path)
        }
    }

    private func retiredKeys(since cutoff: Date) -> [(key: _RSA.Signing.PublicKey, keyID: String)] {
        guard keyFile != nil else {
            return retiredInMemory.withLock { $0 }.filter { $0.retiredAt >= cutoff }.map {
                ($0.key, Self.keyID(of: $0.key))
            }
        }
        return retiredFiles().filter { $0.retiredAt >= cutoff }.sorted { $0.retiredAt > $1.retiredAt }.compactMap {
            file in
            guard let pem = try? String(contentsOfFile: file.path, encoding: .utf8),
                let key = try? _RSA.Signing.PublicKey(pemRepresentation: pem)
            else { return nil }
            return (key, Self.keyID(of: key))
        }
    }

    private func retiredFiles() -> [(path: String, retiredAt: Date)] {
        guard let keyFile else { return [] }
        let directory = Self.retiredDirectory(beside: keyFile)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".pub.pem") }.compactMap { name in
            let path = directory + "/" + name
            guard let date = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
            else { return nil }
            return (path, date)
        }
    }

    static func retiredDirectory(beside keyFile: String) -> String {
        (keyFile as NSString).deletingLastPathComponent + "/retired"
    }

    /// The `kid`: the first 20 bytes of the SHA-256 of the public key's DER, in hex.
    static func keyID(of key: _RSA.Signing.PrivateKey) -> String { keyID(of: key.publicKey) }

    static func keyID(of key: _RSA.Signing.PublicKey) -> String {
        SHA256.hash(data: key.derRepresentation).prefix(20).map { String(format: "%02x", $0) }.joined()
    }

    private static func jwk(_ key: _RSA.Signing.PublicKey, keyID: String) throws -> [String: Any] {
        let primitives = try key.getKeyPrimitives()
        return [
            "kty": "RSA", "alg": "RS256", "use": "sig", "kid": keyID,
            "n": base64URL(primitives.modulus), "e": base64URL(primitives.publicExponent),
        ]
    }

    /// Writes `key` to `keyFile` (0600) through a temporary file and a rename, so a reader
    /// never sees half a key.
    private static func write(_ key: _RSA.Signing.PrivateKey, to keyFile: String) throws {
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

/// A file's inode and modification time: a rename over it (a rotation) changes both.
struct FileStamp: Sendable, Equatable {
    let inode: UInt64
    let modified: Date

    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value,
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        self.inode = inode
        self.modified = modified
    }
}
