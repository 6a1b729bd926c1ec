import Foundation
import SluiceCore
import SluiceLog

/// Tokens folded from their events, up to a log position.
struct TokenTable: Sendable {
    private var tokens: [String: AccessToken] = [:]
    private var order: [String] = []
    /// The position of the last token event applied.
    private(set) var position: Int64 = 0

    var all: [AccessToken] { order.compactMap { tokens[$0] } }

    func token(_ id: String) -> AccessToken? { tokens[id] }

    /// Applies one `token.*` event; one it has seen already (by position) changes nothing.
    mutating func apply(_ event: RecordedEvent) {
        guard event.position > position else { return }
        position = event.position
        guard let data = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any],
            let id = data["id"] as? String
        else { return }
        switch event.type {
        case TokenStore.createdType:
            guard let role = (data["role"] as? String).flatMap(Role.init(rawValue:)),
                let digest = (data["sha256"] as? String).flatMap(TokenSecret.bytes(hex:)), tokens[id] == nil
            else { return }
            tokens[id] = AccessToken(
                id: id, name: data["name"] as? String ?? id, role: role, createdAt: event.timestamp, revokedAt: nil,
                digest: digest)
            order.append(id)
        case TokenStore.revokedType:
            tokens[id]?.revokedAt = event.timestamp
        default:
            break
        }
    }

    /// Applies every token event after `position`.
    mutating func catchUp(from log: any EventLog) async throws(SluiceError) {
        for event in try await Self.events(in: log, after: position) { apply(event) }
    }

    /// Every token event after `position`, oldest first.
    static func events(in log: any EventLog, after position: Int64) async throws(SluiceError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        var after = position
        while true {
            let page = try await log.query(
                EventQuery(
                    streamPrefix: "token/", types: [TokenStore.createdType, TokenStore.revokedType], after: after,
                    limit: 1_000))
            events += page.events
            guard let cursor = page.nextCursor else { return events }
            after = cursor
        }
    }
}
