public import Foundation

/// The public half of the key that signs authenticated pushes' ID tokens, which the server
/// publishes so receivers can verify those tokens as they verify Google's.
public protocol IDTokenKeys: Sendable {
    /// The JSON Web Key Set (RFC 7517) of the verification keys.
    func jwks() throws -> [String: Any]
    /// The OpenID Connect discovery document, naming the issuer and where the keys are.
    func discoveryDocument(jwksPath: String) -> [String: Any]
    /// Replaces the signing key, keeping the old one's public half in the key set for a while;
    /// returns the new and the retired key ids.
    func rotate(now: Date) throws -> (keyID: String, retiredKeyID: String?)
}
