import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLog
import Testing

@Suite("Bearer tokens authenticate requests and roles decide what each may do")
struct AuthAPITests {
    @Test("without required auth a request needs no token and is recorded as principal api")
    func noAuthNeedsNoToken() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
        }
        let events = try await fixture.log.readStream(StreamName("workflow/double"), from: 1, limit: 1)
        #expect(events.first?.metadata.principal == "api")
    }

    @Test("when auth is required a request without a token is 401 UNAUTHENTICATED with WWW-Authenticate")
    func missingTokenIsUnauthenticated() async throws {
        let fixture = APIFixture(requireAuth: true)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: APIFixture.base + "/workflows", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(APIFixture.error(response.body)["status"] as? String == "UNAUTHENTICATED")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
        }
    }

    @Test("health checks answer without a token even when auth is required")
    func healthChecksAreOpen() async throws {
        let fixture = APIFixture(requireAuth: true)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("a wrong secret for an existing token id is 401")
    func wrongSecretIsRefused() async throws {
        let fixture = APIFixture(requireAuth: true)
        let secret = try await fixture.secret(.admin)
        let forged = String(secret.dropLast(4)) + "AAAA"
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows", method: .get, headers: APIFixture.bearer(forged)
            ) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("a token created while the server runs works at once")
    func newTokenWorksAtOnce() async throws {
        let fixture = APIFixture(requireAuth: true)
        try await fixture.tokens.refresh()
        let secret = try await fixture.secret(.viewer)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows", method: .get, headers: APIFixture.bearer(secret)
            ) { #expect($0.status == .ok) }
        }
    }

    @Test("a revoked token is refused once the directory has refreshed")
    func revokedTokenIsRefused() async throws {
        let fixture = APIFixture(requireAuth: true)
        let (token, secret) = try await TokenStore(log: fixture.log).create(name: "ci", role: .admin, principal: nil)
        try await fixture.tokens.refresh()
        try await TokenStore(log: fixture.log).revoke(token.id, principal: nil)
        try await fixture.tokens.refresh()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows", method: .get, headers: APIFixture.bearer(secret)
            ) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("the token's id is the principal of the events its request causes")
    func tokenIDIsThePrincipal() async throws {
        let fixture = APIFixture(requireAuth: true)
        let (token, secret) = try await TokenStore(log: fixture.log).create(name: nil, role: .editor, principal: nil)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=double", method: .post,
                headers: APIFixture.bearer(secret), body: ByteBuffer(string: APIFixture.doubling)
            ) { #expect($0.status == .ok) }
        }
        let events = try await fixture.log.readStream(StreamName("workflow/double"), from: 1, limit: 1)
        #expect(events.first?.metadata.principal == token.id)
    }

    @Test("the log holds the secret's digest, never the secret")
    func secretIsNotStored() async throws {
        let fixture = APIFixture()
        let secret = try await fixture.secret(.admin)
        let events = await fixture.log.readAll(from: 1, limit: 100)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { !$0.data.contains(secret) && !$0.data.contains(String(secret.suffix(20))) })
    }

    /// One request per kind of route, and the least role that may make it.
    static let routes: [(method: HTTPRequest.Method, path: String, body: String?, least: Role)] = [
        (.get, APIFixture.base + "/workflows", nil, .viewer),
        (.get, "/v1/sluice/events", nil, .viewer),
        (.get, "/metrics", nil, .viewer),
        (.post, APIFixture.base + "/workflows/seeded/executions", "{}", .invoker),
        (.post, APIFixture.base + "/endpoints/none:predict", #"{"instances": []}"#, .invoker),
        (.post, APIFixture.base + "/workflows?workflowId=other", APIFixture.doubling, .editor),
        (.delete, APIFixture.base + "/workflows/seeded", nil, .editor),
    ]

    @Test(
        "each role reaches exactly the routes its level allows; the rest are 403 PERMISSION_DENIED",
        arguments: Role.allCases)
    func rolesAreEnforced(_ role: Role) async throws {
        let fixture = APIFixture(requireAuth: true)
        try await fixture.catalog.deploy(name: "seeded", source: "main:\n  steps:\n    - r:\n        return: 1\n")
        let secret = try await fixture.secret(role)
        try await fixture.app().test(.router) { client in
            for route in Self.routes {
                try await client.execute(
                    uri: route.path, method: route.method, headers: APIFixture.bearer(secret),
                    body: route.body.map { ByteBuffer(string: $0) }
                ) { response in
                    if role >= route.least {
                        #expect(response.status != .forbidden, "\(role) \(route.method) \(route.path)")
                        #expect(response.status != .unauthorized, "\(role) \(route.method) \(route.path)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) \(route.method) \(route.path)")
                        #expect(APIFixture.error(response.body)["status"] as? String == "PERMISSION_DENIED")
                    }
                }
            }
        }
    }
}
