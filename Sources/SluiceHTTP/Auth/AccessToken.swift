/// A bearer token as the server knows it: never the secret, only its SHA-256 digest.
public struct AccessToken: Sendable, Hashable {
    /// The public id, which is also the principal recorded in the events the token causes.
    public var id: String
    /// A label for people; not unique.
    public var name: String
    /// What the token may do.
    public var role: Role
    /// When it was created, in microseconds since the epoch.
    public var createdAt: Int64
    /// When it was revoked, in microseconds since the epoch; nil while it is active.
    public var revokedAt: Int64?
    /// SHA-256 of the whole secret.
    var digest: [UInt8]

    /// Whether the token still authenticates.
    public var isActive: Bool { revokedAt == nil }
}
