import Foundation
import Testing

@Suite("sluice tokens creates, lists and revokes tokens without ever storing a secret")
struct TokensCommandTests {
    @Test("create prints the secret once; list shows id and role but not the secret; the log holds no secret")
    func createAndList() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let created = try await binary.run(["tokens", "create", "--role", "invoker", "--name", "ci", "--db", database])
        #expect(created.status == 0)
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("sluice_"))
        let listed = try await binary.run(["tokens", "list", "--json", "--db", database])
        #expect(listed.stdout.contains(#""role":"invoker","name":"ci""#))
        #expect(!listed.stdout.contains(secret))
        let events = try await binary.run(["events", "query", "--stream-prefix", "token/", "--json", "--db", database])
        #expect(events.stdout.contains("token.created"))
        #expect(!events.stdout.contains(String(secret.suffix(30))))
    }

    @Test("revoke marks the token revoked, and revoking it again fails")
    func revoke() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let created = try await binary.run(["tokens", "create", "--role", "admin", "--db", database])
        let id = try #require(created.stderr.split(separator: " ").dropFirst(2).first.map(String.init))
        #expect(try await binary.run(["tokens", "revoke", id, "--db", database]).status == 0)
        #expect(try await binary.run(["tokens", "list", "--json", "--db", database]).stdout.contains(#""revoked":"#))
        let again = try await binary.run(["tokens", "revoke", id, "--db", database])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already revoked"))
    }

    @Test("revoking an id that does not exist fails and names it")
    func revokeUnknown() async throws {
        let binary = try SluiceBinary.locate()
        let outcome = try await binary.run(
            ["tokens", "revoke", "0123456789abcdef", "--db", try ServeProcess.temporaryDatabase()])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("0123456789abcdef"))
    }
}
