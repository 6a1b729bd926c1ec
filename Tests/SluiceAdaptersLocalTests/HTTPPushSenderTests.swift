import Hummingbird
import SluiceAdaptersLocal
import SluiceEngine
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
}
