/// The public half of the key that signs authenticated pushes' ID tokens, which the server
/// publishes so receivers can verify those tokens as they verify Google's.
public protocol IDTokenKeys: Sendable {
    /// The JSON Web Key Set (RFC 7517) of the verification keys.
    func jwks() throws -> [String: Any]
    /// The OpenID Connect discovery document, naming the issuer and where the keys are.
    func discoveryDocument(jwksPath: String) -> [String: Any]
}
