public import ArgumentParser
import SluiceCore
public import SluiceHTTP
import SluiceLog

/// `sluice tokens`: bearer tokens for the server, recorded as events in the data directory's log.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create, list and revoke the bearer tokens the server accepts.",
        discussion: """
            Roles, each including the ones before it: viewer (reads, events, metrics), invoker (+ start and \
            cancel executions, :predict), editor (+ create, update and delete workflows), admin (everything). \
            A running server sees a new token at once and a revocation within a second.
            """,
        subcommands: [TokensCreateCommand.self, TokensListCommand.self, TokensRevokeCommand.self]
    )
}

extension Role: ExpressibleByArgument {}

/// `sluice tokens create --role R`: prints the secret, once, on standard output.
struct TokensCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token; its secret is printed once and stored only as a SHA-256 digest."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "viewer, invoker, editor or admin.") var role: Role
    @Option(help: "A label for people (default: ROLE-ID).") var name: String?

    func run() async throws {
        let log = try await database.open()
        try await log.closing {
            let (token, secret) = try await TokenStore(log: log).create(name: name, role: role, principal: "cli")
            StandardOutput.line(secret)
            StandardOutput.errorLine(
                "created token \(token.id) (\(token.role.rawValue), \"\(token.name)\"): the secret above is shown only now"
            )
        }
    }
}

/// `sluice tokens list`: every token, revoked ones included; never a secret.
struct TokensListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List tokens: id, role, name, when created and whether revoked."
    )

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON lines instead of a table.") var json = false

    func run() async throws {
        let log = try await database.openExisting()
        let tokens = try await log.closing { try await TokenStore(log: log).list() }
        if json {
            for token in tokens {
                var line =
                    "{\"id\":\(JSONText.quote(token.id)),\"role\":\(JSONText.quote(token.role.rawValue)),"
                    + "\"name\":\(JSONText.quote(token.name)),\"created\":\(JSONText.quote(Timestamps.iso8601(token.createdAt)))"
                if let revokedAt = token.revokedAt {
                    line += ",\"revoked\":\(JSONText.quote(Timestamps.iso8601(revokedAt)))"
                }
                StandardOutput.line(line + "}")
            }
            return
        }
        var rows = [["ID", "ROLE", "NAME", "CREATED", "REVOKED"]]
        for token in tokens {
            rows.append([
                token.id, token.role.rawValue, token.name, Timestamps.iso8601(token.createdAt),
                token.revokedAt.map(Timestamps.iso8601) ?? "-",
            ])
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        for row in rows {
            StandardOutput.line(
                row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
                }.joined(separator: "  "))
        }
    }
}

/// `sluice tokens revoke ID`: the token stops authenticating for good.
struct TokensRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a token by id; a running server refuses it within a second."
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The token's id, as `tokens list` shows it.") var id: String

    func run() async throws {
        let log = try await database.open()
        try await log.closing {
            let token = try await TokenStore(log: log).revoke(id, principal: "cli")
            StandardOutput.line("revoked token \(token.id) (\(token.role.rawValue), \"\(token.name)\")")
        }
    }
}
