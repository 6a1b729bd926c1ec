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

@Suite("Sluice's own API replays failed executions and traces journeys")
struct SluiceOperationsAPITests {
    static let failing = "main:\n  params: [args]\n  steps:\n    - fail:\n        raise:\n          code: 503\n"
    static let fixed = "main:\n  params: [args]\n  steps:\n    - ok:\n        return: fixed\n"

    /// Runs one execution of `flaky` to its failure, then deploys the fixed revision.
    static func failedExecution(_ fixture: APIFixture) async throws -> ExecutionID {
        let revision = try await fixture.catalog.deploy(name: "flaky", source: failing)
        let id = try ExecutionID("run-1")
        try await fixture.runner.start(
            id, ExecutionStart(workflow: "flaky", revision: revision, argument: .null),
            metadata: EventMetadata(correlationID: "journey-1"))
        _ = try await fixture.runner.run(id)
        try await fixture.catalog.deploy(name: "flaky", source: fixed)
        return id
    }

    @Test("a dry run reports the fixed revision's outcome; a replay is recorded with the caller and succeeds")
    func replayOne() async throws {
        let fixture = APIFixture()
        let failed = try await Self.failedExecution(fixture)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/sluice/executions/run-1:replay", method: .post, body: ByteBuffer(string: #"{"dryRun": true}"#)
            ) { response in
                #expect(response.status == .ok)
                let report = APIFixture.json(response.body)["report"] as? [String: Any]
                #expect(report?["wouldSucceedWith"] as? String == "fixed")
            }
            try await client.execute(
                uri: "/v1/sluice/executions/run-1:replay", method: .post,
                body: ByteBuffer(string: #"{"reason": "fixed the backend"}"#)
            ) { response in
                #expect(APIFixture.json(response.body)["replay"] as? String == "run-1-replay-1")
            }
        }
        let outcome = try await fixture.runner.run(try ExecutionID("run-1-replay-1"))
        #expect(outcome.result == "fixed")
        let replayed = await fixture.log.readStream(failed.stream, from: 1, limit: 100).last
        #expect(replayed?.type == ExecutionRunner.replayedType)
        #expect(replayed?.metadata.principal == "api")
    }

    @Test(
        "a replay with a field of the wrong type or a revision that does not exist is refused and records nothing",
        arguments: [
            ("/v1/sluice/executions/run-1:replay", #"{"dryRun": "yes"}"#, "INVALID_ARGUMENT"),
            ("/v1/sluice/executions/run-1:replay", #"{"reason": 5}"#, "INVALID_ARGUMENT"),
            ("/v1/sluice/executions/run-1:replay", #"{"replayId": 7}"#, "INVALID_ARGUMENT"),
            ("/v1/sluice/executions/run-1:replay", #"{"revision": 99999}"#, "NOT_FOUND"),
            (
                "/v1/sluice/executions:replay", #"{"where": ["data.error.code = 503"], "limit": 1e300}"#,
                "INVALID_ARGUMENT"
            ),
            ("/v1/sluice/executions:replay", #"{"where": ["data.error.code = 503", 5]}"#, "INVALID_ARGUMENT"),
            (
                "/v1/sluice/executions:replay", #"{"where": ["data.error.code = 503"], "since": "nan"}"#,
                "INVALID_ARGUMENT"
            ),
        ])
    func badReplaysRecordNothing(_ path: String, _ body: String, _ status: String) async throws {
        let fixture = APIFixture()
        let failed = try await Self.failedExecution(fixture)
        let before = await fixture.log.headPosition()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: path, method: .post, body: ByteBuffer(string: body)) { response in
                #expect(APIFixture.error(response.body)["status"] as? String == status)
            }
        }
        #expect(await fixture.log.headPosition() == before)
        #expect(try await fixture.log.readStream(failed.stream, from: 1, limit: 100).last?.type == "execution.failed")
    }

    @Test("a bulk replay takes the matching failures not yet replayed")
    func replayMany() async throws {
        let fixture = APIFixture()
        _ = try await Self.failedExecution(fixture)
        try await fixture.app().test(.router) { client in
            for expected in [1, 0] {
                try await client.execute(
                    uri: "/v1/sluice/executions:replay", method: .post,
                    body: ByteBuffer(string: #"{"where": ["data.error.code = 503"]}"#)
                ) { response in
                    #expect(response.status == .ok)
                    #expect((APIFixture.json(response.body)["replays"] as? [Any])?.count == expected)
                }
            }
            try await client.execute(
                uri: "/v1/sluice/executions:replay", method: .post, body: ByteBuffer(string: "{}")
            ) { response in #expect(response.status == .badRequest) }
        }
    }

    @Test("a trace of an execution lists its journey; an unknown one is NOT_FOUND, no target INVALID_ARGUMENT")
    func traceRoute() async throws {
        let fixture = APIFixture()
        _ = try await Self.failedExecution(fixture)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/sluice/trace?execution=run-1", method: .get) { response in
                let steps = APIFixture.json(response.body)["steps"] as? [[String: Any]]
                #expect(steps?.first?["type"] as? String == "execution.started")
                #expect(steps?.contains { $0["type"] as? String == "execution.failed" } == true)
            }
            try await client.execute(uri: "/v1/sluice/trace?execution=nope", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/sluice/trace", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("verify needs the admin role and answers the log's integrity report")
    func verifyRouteIsAdminOnly() async throws {
        let fixture = APIFixture(requireAuth: true)
        let editor = try await fixture.secret(.editor)
        let admin = try await fixture.secret(.admin)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/sluice/log:verify", method: .post, headers: APIFixture.bearer(editor)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/v1/sluice/log:verify", method: .post, headers: APIFixture.bearer(admin)
            ) { response in
                #expect(response.status == .ok)
                let report = APIFixture.json(response.body)
                #expect(report["intact"] as? Bool == true)
                #expect(report["problems"] as? [String] == [])
            }
        }
    }
}
