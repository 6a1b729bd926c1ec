import Foundation
import Testing

/// Bearer tokens end to end: created by the CLI, checked by a running server.
@Suite("sluice serve requires bearer tokens where it must", .serialized)
struct ServeAuthProcessTests {
    static let workflows = "/v1/projects/p/locations/l/workflows"

    @Test("serve refuses to listen on a non-loopback address while no token exists")
    func nonLoopbackWithoutTokenIsRefused() async throws {
        let binary = try SluiceBinary.locate()
        let outcome = try await binary.run(["serve", "--db", try ServeProcess.temporaryDatabase(), "--host", "0.0.0.0"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("refusing to listen on 0.0.0.0"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty, "it never listened")
    }

    @Test("with --require-auth a request needs the token the CLI printed, and is recorded under its id")
    func requiredTokenIsCheckedAndRecorded() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let created = try await binary.run(["tokens", "create", "--role", "editor", "--db", database])
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = try #require(created.stderr.split(separator: " ").dropFirst(2).first.map(String.init))
        let server = try await ServeProcess(binary: binary, database: database, arguments: ["--require-auth"])
        #expect(try await server.call("GET", Self.workflows).status == 401)
        #expect(try await server.call("GET", "/healthz").status == 200)
        let body = #"{"sourceContents": "main:\n  steps:\n    - r:\n        return: 1\n"}"#
        #expect(
            try await server.call("POST", Self.workflows + "?workflowId=w", body: body, token: secret).status == 200)
        #expect(try await server.call("GET", Self.workflows, token: secret).status == 200)
        _ = await server.stop(signal: SIGTERM)
        let events = try await binary.run(["events", "query", "--db", database, "--stream", "workflow/w", "--json"])
        #expect(events.stdout.contains(#""principal":"\#(id)""#), "\(events.stdout)")
    }

    @Test("a token revoked from the CLI stops working on a running server within a few seconds")
    func revocationReachesRunningServer() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let created = try await binary.run(["tokens", "create", "--role", "viewer", "--db", database])
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = try #require(created.stderr.split(separator: " ").dropFirst(2).first.map(String.init))
        let server = try await ServeProcess(binary: binary, database: database, arguments: ["--require-auth"])
        #expect(try await server.call("GET", Self.workflows, token: secret).status == 200)
        #expect(try await binary.run(["tokens", "revoke", id, "--db", database]).status == 0)
        var status = 200
        for _ in 0..<250 where status == 200 {
            status = try await server.call("GET", Self.workflows, token: secret).status
            if status == 200 { try await Task.sleep(for: .milliseconds(20)) }
        }
        _ = await server.stop(signal: SIGTERM)
        #expect(status == 401)
    }
}
