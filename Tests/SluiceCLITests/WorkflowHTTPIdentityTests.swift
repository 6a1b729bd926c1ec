import Foundation
import Hummingbird
import SluiceTesting
import Testing

/// What a workflow's `http.*` calls carry to the services they reach, through a real server.
@Suite("A workflow's HTTP calls carry an idempotency key and, with auth OIDC, a verifiable ID token")
struct WorkflowHTTPIdentityTests {
    /// The headers of each request the receiver got, by path.
    actor Received {
        var headers: [String: [String: String]] = [:]
        func record(_ path: String, _ fields: [String: String]) { headers[path] = fields }
    }

    static func receiver(_ received: Received) -> Router<BasicRequestContext> {
        let router = Router()
        for path in ["/with-audience", "/without-audience"] {
            router.post(RouterPath(path)) { request, _ -> String in
                var fields: [String: String] = [:]
                for field in request.headers { fields[field.name.canonicalName] = field.value }
                await received.record(path, fields)
                return "ok"
            }
        }
        return router
    }

    static func workflow(port: Int) -> String {
        """
        main:
          steps:
            - withAudience:
                call: http.post
                args:
                  url: http://127.0.0.1:\(port)/with-audience
                  auth:
                    type: OIDC
                    audience: https://receiver.example
                result: first
            - withoutAudience:
                call: http.post
                args:
                  url: http://127.0.0.1:\(port)/without-audience
                  auth:
                    type: OIDC
                  body: {x: 1}
                result: second
            - done:
                return: ${first.code + second.code}
        """
    }

    @Test(
        "the token names the workflow's service account and the audience (the URL by default) and verifies with the server's JWKS"
    )
    func oidcTokenVerifies() async throws {
        let received = Received()
        try await TestHTTPServer.with(Self.receiver(received)) { port in
            let binary = try SluiceBinary.locate()
            let server = try await ServeProcess(
                binary: binary, database: try ServeProcess.temporaryDatabase(), arguments: ["--stack", "none"])
            defer { server.terminate(signal: SIGTERM) }
            let name = try await server.startWorkflow(
                "calls", source: Self.workflow(port: port),
                fields: ["serviceAccount": "projects/p/serviceAccounts/caller@p.iam.gserviceaccount.com"])
            let finished = try await server.waitForState(name, "SUCCEEDED")
            #expect(finished["result"] as? String == "400")

            let jwks = try await server.request("GET", "/oauth2/v3/certs")
            let headers = await received.headers
            let first = try #require(headers["/with-audience"])
            let second = try #require(headers["/without-audience"])
            for (request, audience) in [
                (first, "https://receiver.example"), (second, "http://127.0.0.1:\(port)/without-audience"),
            ] {
                let bearer = try #require(request["authorization"])
                #expect(bearer.hasPrefix("Bearer "))
                let claims = try IDTokenVerifier.claims(of: String(bearer.dropFirst(7)), jwks: jwks)
                #expect(claims["aud"] as? String == audience)
                #expect(claims["email"] as? String == "caller@p.iam.gserviceaccount.com")
            }
            let id = String(name.split(separator: "/").last ?? "")
            #expect(first["idempotency-key"]?.hasPrefix(id + "/") == true)
            #expect(second["idempotency-key"]?.hasPrefix(id + "/") == true)
            #expect(first["idempotency-key"] != second["idempotency-key"])
        }
    }

    @Test("an auth type that is neither OIDC nor OAuth2 fails the call with a ValueError")
    func unknownAuthTypeFails() async throws {
        let binary = try SluiceBinary.locate()
        let server = try await ServeProcess(
            binary: binary, database: try ServeProcess.temporaryDatabase(), arguments: ["--stack", "none"])
        defer { server.terminate(signal: SIGTERM) }
        let source =
            "main:\n  steps:\n    - c:\n        call: http.get\n        args:\n          url: http://127.0.0.1:9/x\n          auth:\n            type: Basic\n"
        let failed = try await server.waitForState(try await server.startWorkflow("basic", source: source), "FAILED")
        let error = failed["error"] as? [String: Any]
        #expect((error?["payload"] as? String)?.contains("ValueError") == true, "\(failed)")
    }

    @Test("an endless timeout is capped instead of crashing, and a header that would split the request is a ValueError")
    func outOfRangeCallArgumentsFailTheCallNotTheServer() async throws {
        let binary = try SluiceBinary.locate()
        let server = try await ServeProcess(
            binary: binary, database: try ServeProcess.temporaryDatabase(), arguments: ["--stack", "none"])
        defer { server.terminate(signal: SIGTERM) }
        let endless =
            "main:\n  steps:\n    - c:\n        call: http.get\n        args:\n          url: http://127.0.0.1:9/x\n          timeout: 1e300\n"
        let refused = try await server.waitForState(
            try await server.startWorkflow("endless", source: endless), "FAILED")
        #expect(
            ((refused["error"] as? [String: Any])?["payload"] as? String)?.contains("ConnectionFailedError") == true)
        let split =
            "main:\n  steps:\n    - c:\n        call: http.get\n        args:\n          url: http://127.0.0.1:9/x\n          headers:\n            X-A: \"a\\r\\nX-B: b\"\n"
        let failed = try await server.waitForState(try await server.startWorkflow("split", source: split), "FAILED")
        #expect(
            ((failed["error"] as? [String: Any])?["payload"] as? String)?.contains("ValueError") == true, "\(failed)")
    }

    @Test(
        "rotate-signing-key on the data directory reaches the running server's key set; with --server the server rotates"
    )
    func signingKeyRotates() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let server = try await ServeProcess(binary: binary, database: database, arguments: ["--stack", "none"])
        defer { server.terminate(signal: SIGTERM) }
        func keyIDs() async throws -> [String] {
            let keys = try await server.request("GET", "/oauth2/v3/certs")["keys"] as? [[String: Any]] ?? []
            return keys.compactMap { $0["kid"] as? String }
        }
        let first = try await keyIDs()
        #expect(first.count == 1)

        let local = try await binary.run(["admin", "rotate-signing-key", "--db", database])
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.stdout.contains("retired \(first[0])"))
        let second = try await keyIDs()
        #expect(second.count == 2 && second.last == first[0])

        let remote = try await binary.run([
            "admin", "rotate-signing-key", "--server", "http://127.0.0.1:\(server.port)",
        ])
        #expect(remote.status == 0, "\(remote.stderr)")
        #expect(remote.stdout.contains("retired \(second[0])"))
        #expect(try await keyIDs() == [String(remote.stdout.split(separator: " ")[2]), second[0], first[0]])
    }
}
