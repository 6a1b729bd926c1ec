public import SluiceCore
public import SluiceLog
import Synchronization

/// The server's view of the tokens: folded from the log at start, refreshed by `refresh()`
/// (the serve command calls it every second, so a revocation takes effect within a second), and
/// at once when a secret names an id it has not seen yet (at most every 250 ms).
public final class TokenDirectory: Sendable {
    private struct State {
        var table = TokenTable()
        var lastMissRefresh: ContinuousClock.Instant?
    }

    private let log: any EventLog
    private let state = Mutex(State())

    /// An empty directory; call `refresh()` before serving.
    public init(log: any EventLog) {
        self.log = log
    }

    /// Reads the token events appended since the last refresh.
    public func refresh() async throws(SluiceError) {
        let after = state.withLock { $0.table.position }
        let events = try await TokenTable.events(in: log, after: after)
        guard !events.isEmpty else { return }
        state.withLock { state in
            for event in events { state.table.apply(event) }
        }
    }

    /// Whether any token can authenticate now.
    public var hasActiveToken: Bool {
        state.withLock { $0.table.all.contains(where: \.isActive) }
    }

    /// The active token whose secret this is, or nil. Never logs the secret.
    public func authenticate(_ secret: String) async -> AccessToken? {
        guard let id = TokenSecret.id(of: secret) else { return nil }
        var token = state.withLock { $0.table.token(id) }
        if token == nil, claimMissRefresh() {
            try? await refresh()
            token = state.withLock { $0.table.token(id) }
        }
        guard let token, token.isActive, TokenSecret.matches(token.digest, TokenSecret.digest(secret)) else {
            return nil
        }
        return token
    }

    /// Whether an unknown id may trigger a refresh now: not more often than every 250 ms, so
    /// made-up ids cannot turn into a stream of log queries.
    private func claimMissRefresh() -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in
            if let last = state.lastMissRefresh, now - last < .milliseconds(250) { return false }
            state.lastMissRefresh = now
            return true
        }
    }
}
