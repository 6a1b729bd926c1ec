import Foundation
import Hummingbird
import SluiceAdapters
import SluiceAdaptersLocal
import SluiceTesting
import Testing

@Suite("An HTTP function gets the CloudEvent in binary mode and acknowledges with 2xx")
struct HTTPFunctionRuntimeTests {
    @Test("a 2xx acknowledges, with the ce-* headers and the data as the body")
    func successStatusAcknowledges() async throws {
        let seen = RequestRecorder()
        let router = Router()
        router.post("/fn") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            await seen.record(headers: request.headers, body: String(buffer: body))
            return .noContent
        }
        try await TestHTTPServer.with(router) { port in
            let outcome = await HTTPFunctionRuntime(url: "http://127.0.0.1:\(port)/fn").invoke(
                FunctionFixtures.invocation())
            #expect(outcome.status == .succeeded)
        }
        let request = try #require(await seen.requests.first)
        #expect(request.headers[.init("ce-id")!] == "42")
        #expect(request.headers[.init("ce-type")!] == "google.cloud.pubsub.topic.v1.messagePublished")
        #expect(request.headers[.init("ce-specversion")!] == "1.0")
        #expect(request.headers[.init("Idempotency-Key")!] == "msg-42")
        #expect(request.body == FunctionFixtures.event.data)
    }

    @Test("a URL whose port is past 65535 is unreachable instead of trapping the process")
    func portOutOfRangeIsUnreachable() async {
        let outcome = await HTTPFunctionRuntime(url: "http://127.0.0.1:70000/fn").invoke(FunctionFixtures.invocation())
        #expect(outcome.status == .unreachable("function URL has port 70000, which is not between 1 and 65535"))
    }

    @Test("an error status fails the attempt and keeps the response body")
    func errorStatusFails() async throws {
        let router = Router()
        router.post("/fn") { _, _ -> Response in
            Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "warming up")))
        }
        try await TestHTTPServer.with(router) { port in
            let outcome = await HTTPFunctionRuntime(url: "http://127.0.0.1:\(port)/fn").invoke(
                FunctionFixtures.invocation())
            #expect(outcome.status == .failed("HTTP 503"))
            #expect(outcome.output.text == "warming up")
        }
    }

    @Test("a server slower than the timeout makes the attempt time out")
    func slowServerTimesOut() async throws {
        let router = Router()
        router.post("/fn") { _, _ -> HTTPResponse.Status in
            try await Task.sleep(for: .seconds(2))
            return .ok
        }
        try await TestHTTPServer.with(router) { port in
            let outcome = await HTTPFunctionRuntime(url: "http://127.0.0.1:\(port)/fn")
                .invoke(FunctionFixtures.invocation(timeout: .milliseconds(300)))
            #expect(outcome.status == .timedOut)
        }
    }

    @Test("nothing listening is reported unreachable")
    func nothingListeningIsUnreachable() async {
        let outcome = await HTTPFunctionRuntime(url: "http://127.0.0.1:9/fn").invoke(FunctionFixtures.invocation())
        guard case .unreachable = outcome.status else {
            Issue.record("expected unreachable, got \(outcome.status)")
            return
        }
    }
}

/// What a test server received.
actor RequestRecorder {
    struct Request {
        var headers: HTTPFields
        var body: String
    }
    private(set) var requests: [Request] = []

    func record(headers: HTTPFields, body: String) {
        requests.append(Request(headers: headers, body: body))
    }
}
