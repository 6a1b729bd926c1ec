import Hummingbird
import SluiceAdaptersLocal
import SluiceEngine
import SluiceResources
import SluiceTesting
import Testing

@Suite("Push deliveries over HTTP acknowledge on Pub/Sub's success statuses only")
struct HTTPPushSenderTests {
    static func push(port: Int) -> PushRequest {
        PushRequest(
            endpoint: "http://127.0.0.1:\(port)/push", headers: ["content-type": "application/json"],
            body: Array(#"{"message":{}}"#.utf8), timeout: .seconds(60))
    }

    /// Pushes to an endpoint answering `status` and checks the result is `expected`.
    static func expect(_ expected: PushResult, answering status: HTTPResponse.Status) async throws {
        let router = Router()
        router.post("/push") { _, _ -> HTTPResponse.Status in status }
        try await TestHTTPServer.with(router) { port in
            #expect(await HTTPPushSender().send(Self.push(port: port)) == expected)
        }
    }

    @Test("204 and 200 acknowledge")
    func successAcknowledges() async throws {
        try await Self.expect(.acknowledged, answering: .noContent)
        try await Self.expect(.acknowledged, answering: .ok)
    }

    @Test("500 and 404 fail the attempt")
    func errorStatusesFail() async throws {
        try await Self.expect(.failed("HTTP 500"), answering: .internalServerError)
        try await Self.expect(.failed("HTTP 404"), answering: .notFound)
    }

    @Test("an endpoint whose port is past 65535 fails the attempt instead of trapping the process")
    func portOutOfRangeFails() async {
        var push = Self.push(port: 9)
        push.endpoint = "http://127.0.0.1:99999/push"
        #expect(
            await HTTPPushSender().send(push)
                == .failed("the push endpoint has port 99999, which is not between 1 and 65535"))
    }

    @Test("an endpoint that is not listening fails the attempt without waiting for the ack deadline")
    func nothingListeningFails() async {
        let started = ContinuousClock.now
        guard case .failed = await HTTPPushSender().send(Self.push(port: 9)) else {
            Issue.record("expected a failure")
            return
        }
        // Far below the 60 s deadline even on a loaded machine: the refusal is not retried.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test("a push with oidcToken carries a bearer ID token for its audience; without an issuer it fails")
    func authenticatedPushCarriesBearerToken() async throws {
        let received = ReceivedHeaders()
        let router = Router()
        router.post("/push") { request, _ -> HTTPResponse.Status in
            await received.record(request.headers[.authorization])
            return .noContent
        }
        let issuer = ServiceAccountTokenIssuer(keyFile: nil)
        try await TestHTTPServer.with(router) { port in
            var push = Self.push(port: port)
            push.oidcToken = PushConfig.OIDCToken(serviceAccountEmail: "p@x.iam.gserviceaccount.com", audience: "aud-1")
            #expect(await HTTPPushSender(tokens: issuer).send(push) == .acknowledged)
            guard case .failed = await HTTPPushSender().send(push) else {
                Issue.record("a push needing a token was sent without one")
                return
            }
        }
        let header = try #require(await received.values.first ?? nil)
        #expect(header.hasPrefix("Bearer "))
        let claims = try ServiceAccountTokenIssuerTests.verifiedClaims(String(header.dropFirst(7)), issuer: issuer)
        #expect(claims["aud"] as? String == "aud-1")
        #expect(claims["email"] as? String == "p@x.iam.gserviceaccount.com")
        #expect(await received.values.count == 1)
    }
}

/// The Authorization headers an endpoint saw.
actor ReceivedHeaders {
    private(set) var values: [String?] = []
    func record(_ value: String?) { values.append(value) }
}
