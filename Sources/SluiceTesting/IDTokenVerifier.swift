public import Foundation
import _CryptoExtras

/// Checks an RS256 ID token against a JSON Web Key Set the way a receiver of Sluice's tokens
/// does (as google-auth does with Google's certs), so tests can prove a token verifies.
public enum IDTokenVerifier {
    /// A token that is not three base64url parts, names no key of the set, or whose signature
    /// does not verify.
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// The token's claims when its signature verifies with the key its `kid` names in `jwks`.
    public static func claims(of token: String, jwks: [String: Any]) throws -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw Refused(description: "not a JWT: \(parts.count) parts") }
        let header = try object(parts[0])
        guard header["alg"] as? String == "RS256" else { throw Refused(description: "alg is not RS256") }
        let keys = jwks["keys"] as? [[String: Any]] ?? []
        guard let key = keys.first(where: { $0["kid"] as? String == header["kid"] as? String }),
            let modulus = key["n"] as? String, let exponent = key["e"] as? String
        else { throw Refused(description: "no key in the set has the token's kid") }
        let publicKey = try _RSA.Signing.PublicKey(
            n: try bytes(Substring(modulus)), e: try bytes(Substring(exponent)))
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try bytes(parts[2]))
        guard
            publicKey.isValidSignature(
                signature, for: Data("\(parts[0]).\(parts[1])".utf8), padding: .insecurePKCS1v1_5)
        else { throw Refused(description: "the signature does not verify") }
        return try object(parts[1])
    }

    /// Decodes base64url without padding, as JWTs and JWKs write it.
    public static func bytes(_ part: Substring) throws -> Data {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: text) else { throw Refused(description: "a part is not base64url") }
        return data
    }

    private static func object(_ part: Substring) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: bytes(part)) as? [String: Any] else {
            throw Refused(description: "a part is not a JSON object")
        }
        return object
    }
}
