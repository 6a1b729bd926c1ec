import Foundation
public import SluiceCore
public import SluiceLog

/// Bearer tokens as events: `token.created` and `token.revoked` in the stream `token/ID`.
///
/// Why the log rather than a file: a token's whole life (who created it, when, who revoked it)
/// is audited like everything else, is backed up with the log, is covered by `admin verify`, and
/// a running server sees a change made by the CLI by reading the log it already reads. Only the
/// secret's SHA-256 digest is stored; the secret exists once, in `create`'s result.
public struct TokenStore: Sendable {
    /// The event that creates a token: id, name, role and the secret's digest.
    public static let createdType = "token.created"
    /// The event that revokes a token for good.
    public static let revokedType = "token.revoked"

    let log: any EventLog

    /// Tokens in `log`.
    public init(log: any EventLog) {
        self.log = log
    }

    static func stream(_ id: String) -> StreamName { StreamName(unchecked: "token/" + id) }

    /// Records a new token and returns it with its secret, which is stored nowhere.
    public func create(name: String?, role: Role, principal: String?) async throws(SluiceError) -> (
        token: AccessToken, secret: String
    ) {
        let (id, secret) = TokenSecret.generate()
        let label = name ?? "\(role.rawValue)-\(id.prefix(6))"
        guard !label.isEmpty, label.count <= 100, !label.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw SluiceError(.invalidArgument, "a token name must be 1-100 printable characters")
        }
        let digest = TokenSecret.digest(secret)
        let data =
            "{\"id\":\(JSONText.quote(id)),\"name\":\(JSONText.quote(label)),\"role\":\(JSONText.quote(role.rawValue)),"
            + "\"sha256\":\(JSONText.quote(TokenSecret.hex(digest)))}"
        let result = try await log.append(
            [NewEvent(type: Self.createdType, data: data, metadata: EventMetadata(principal: principal))],
            to: Self.stream(id), expectedVersion: .noStream)
        let token = AccessToken(
            id: id, name: label, role: role, createdAt: try await timestamp(id, version: result.lastVersion),
            revokedAt: nil, digest: digest)
        return (token, secret)
    }

    /// Every token ever created, revoked ones included, oldest first.
    public func list() async throws(SluiceError) -> [AccessToken] {
        var table = TokenTable()
        try await table.catchUp(from: log)
        return table.all
    }

    /// Revokes a token; it stops authenticating as soon as a server has read the event.
    @discardableResult
    public func revoke(_ id: String, principal: String?) async throws(SluiceError) -> AccessToken {
        guard TokenSecret.id(of: TokenSecret.prefix + id + "_") == id else {
            throw SluiceError(.invalidArgument, "'\(id)' is not a token id (16 hexadecimal digits)")
        }
        let events = try await log.readStream(Self.stream(id), from: 1, limit: 10)
        var table = TokenTable()
        for event in events { table.apply(event) }
        guard var token = table.token(id) else { throw SluiceError(.notFound, "token \(id) does not exist") }
        guard token.isActive else { throw SluiceError(.failedPrecondition, "token \(id) is already revoked") }
        let result = try await log.append(
            [
                NewEvent(
                    type: Self.revokedType, data: "{\"id\":\(JSONText.quote(id))}",
                    metadata: EventMetadata(principal: principal))
            ],
            to: Self.stream(id), expectedVersion: .exact(Int64(events.count)))
        token.revokedAt = try await timestamp(id, version: result.lastVersion)
        return token
    }

    private func timestamp(_ id: String, version: Int64) async throws(SluiceError) -> Int64 {
        try await log.readStream(Self.stream(id), from: version, limit: 1).first?.timestamp ?? 0
    }
}
