import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLog
import SluiceWorkflows
import Testing

@Suite("Callback endpoints take the request an execution's events.await_callback returns")
struct CallbackAPITests {
    static let workflow = """
        main:
          steps:
            - create:
                call: events.create_callback_endpoint
                result: callback
            - wait:
                call: events.await_callback
                args:
                  callback: ${callback}
                  timeout: 30
                result: request
            - done:
                return: ${request}
        """

    @Test(
        "a POST to the endpoint is recorded and is the await's result, with its body, method, query and headers but not its credentials"
    )
    func postedRequestIsAwaited() async throws {
        let fixture = APIFixture(servesCallbacks: true)
        let revision = try await fixture.catalog.deploy(name: "approval", source: Self.workflow)
        let id = try ExecutionID("run-1")
        try await fixture.runner.start(id, ExecutionStart(workflow: "approval", revision: revision, argument: .null))
        async let outcome = fixture.runner.run(id)
        var url: String?
        for _ in 0..<500 where url == nil {
            url = try await fixture.log.query(EventQuery(stream: id.stream, types: ["effect.completed"], limit: 10))
                .events.compactMap { event in
                    event.data.range(of: "/v1/projects/").map { range in
                        String(event.data[range.lowerBound...].prefix { $0 != "\"" })
                    }
                }.first
            if url == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let path = try #require(url)
        let secret = try await fixture.secret(.invoker)
        var fields = APIFixture.bearer(secret)
        fields[.contentType] = "application/json"
        fields[.init("X-Decided-By")!] = "alice"
        let headers = fields
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: path + "?decision=yes", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"approved": true}"#)
            ) { response in #expect(response.status == .ok) }
        }
        let result = try #require(try await outcome.result)
        #expect(result["http_request"]?["body"]?["approved"] == true)
        #expect(result["http_request"]?["method"] == "POST")
        #expect(result["http_request"]?["query"]?["decision"] == ["yes"])
        #expect(result["http_request"]?["headers"]?["x-decided-by"] == "alice")
        #expect(result["http_request"]?["headers"]?["authorization"] == nil, "the caller's token is not recorded")
        #expect(result["type"] == "HTTP")
        let recorded = try await fixture.log.readAll(from: 1, limit: 10_000)
        #expect(!recorded.contains { $0.data.contains(secret) }, "no event holds the caller's token")
    }

    @Test("a callback of an unknown execution is NOT_FOUND")
    func unknownExecution() async throws {
        let fixture = APIFixture(servesCallbacks: true)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows/w/executions/nope/callbacks/ab12", method: .post
            ) { response in #expect(response.status == .notFound) }
        }
    }
}
