import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLog
import SluiceResources
import SluiceStack
import SluiceTesting
import Testing

@Suite("The stack API plans and applies a client's stack file on the server's log")
struct StackAPITests {
    static let yaml = """
        name: demo
        topics:
          - name: events
        workflows:
          - name: echo
            source: flows/echo.yaml
        outputs:
          topic: events
        """
    static let workflow = "main:\n  params: [args]\n  steps:\n    - r:\n        return: ${args}\n"

    static func body(yaml: String = Self.yaml, files: [String: String]? = nil, digest: String? = nil) -> ByteBuffer {
        var object: [String: Any] = [
            "path": "stack.yaml", "contents": yaml,
            "files": (files ?? ["flows/echo.yaml": workflow]).mapValues { Data($0.utf8).base64EncodedString() },
        ]
        if let digest { object["planDigest"] = digest }
        return ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    /// The fixture's log with the applier `sluice serve` builds, on a fresh data directory.
    static func fixture(requireAuth: Bool = false) throws -> APIFixture {
        let directory = ScratchSpace.url("stack-api-\(UUID())").path
        return try APIFixture(requireAuth: requireAuth) { log, catalog in
            StackApplier(
                log: log, storage: StorageService(log: log, objects: try LocalObjectStore(directory: directory)),
                catalog: catalog, models: MemoryModelInstaller(), principal: "api")
        }
    }

    static func actions(_ buffer: ByteBuffer) -> [String] {
        (APIFixture.json(buffer)["changes"] as? [[String: Any]] ?? []).map {
            "\($0["action"] as? String ?? "") \($0["resource"] as? String ?? "")"
        }
    }

    @Test("a plan lists what applying would create, with a digest and the outputs, and changes nothing")
    func planChangesNothing() async throws {
        let fixture = try Self.fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/sluice/stacks:plan", method: .post, body: Self.body()) { response in
                #expect(response.status == .ok)
                #expect(Self.actions(response.body) == ["CREATE topic/events", "CREATE workflow/echo"])
                let answer = APIFixture.json(response.body)
                #expect((answer["planDigest"] as? String)?.count == 16)
                #expect((answer["outputs"] as? [String: Any])?["topic"] as? String == "events")
            }
        }
        #expect(try await PubSubService(log: fixture.log).topicExists("events") == false)
    }

    @Test("an apply creates the stack with the caller's token as principal; the same file again is unchanged")
    func applyRecordsTheCaller() async throws {
        let fixture = try Self.fixture(requireAuth: true)
        let (token, editor) = try await TokenStore(log: fixture.log).create(name: nil, role: .editor, principal: "test")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/sluice/stacks:apply", method: .post, headers: APIFixture.bearer(editor), body: Self.body()
            ) { response in
                #expect(response.status == .ok)
                #expect(Self.actions(response.body) == ["CREATE topic/events", "CREATE workflow/echo"])
            }
            try await client.execute(
                uri: "/v1/sluice/stacks:plan", method: .post, headers: APIFixture.bearer(editor), body: Self.body()
            ) { response in
                #expect(Self.actions(response.body) == ["UNCHANGED topic/events", "UNCHANGED workflow/echo"])
            }
        }
        #expect(try await fixture.catalog.summary(of: "echo").source == Self.workflow)
        let applied = try await fixture.log.query(EventQuery(types: ["stack.applied"])).events
        #expect(applied.count == 1)
        #expect(applied.first?.metadata.principal == token.id)
    }

    @Test("an apply whose confirmed plan has changed since is refused with FAILED_PRECONDITION")
    func staleDigestIsRefused() async throws {
        let fixture = try Self.fixture()
        try await fixture.app().test(.router) { client in
            var digest = ""
            try await client.execute(uri: "/v1/sluice/stacks:plan", method: .post, body: Self.body()) { response in
                digest = APIFixture.json(response.body)["planDigest"] as? String ?? ""
            }
            try await PubSubService(log: fixture.log).createTopic(
                "events", metadata: EventMetadata(correlationID: "elsewhere"))
            try await client.execute(uri: "/v1/sluice/stacks:apply", method: .post, body: Self.body(digest: digest)) {
                response in
                #expect(response.status == .badRequest)
                #expect(APIFixture.error(response.body)["status"] as? String == "FAILED_PRECONDITION")
            }
        }
        #expect((try? await fixture.catalog.summary(of: "echo")) == nil)
    }

    @Test("a stack naming a file the request does not carry is refused with INVALID_ARGUMENT")
    func missingFileIsRefused() async throws {
        let fixture = try Self.fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/sluice/stacks:apply", method: .post, body: Self.body(files: [:])) {
                response in
                #expect(response.status == .badRequest)
                #expect((APIFixture.error(response.body)["message"] as? String)?.contains("flows/echo.yaml") == true)
            }
        }
        #expect(try await PubSubService(log: fixture.log).topicExists("events") == false)
    }

    @Test("malformed YAML, a body that is not JSON and a missing contents field are INVALID_ARGUMENT")
    func badBodiesAreRefused() async throws {
        let fixture = try Self.fixture()
        try await fixture.app().test(.router) { client in
            for body in [Self.body(yaml: "name: [unclosed"), ByteBuffer(string: "not json"), ByteBuffer(string: "{}")] {
                try await client.execute(uri: "/v1/sluice/stacks:plan", method: .post, body: body) { response in
                    #expect(response.status == .badRequest)
                    #expect(APIFixture.error(response.body)["status"] as? String == "INVALID_ARGUMENT")
                }
            }
        }
    }

    @Test("a viewer may plan but not apply or destroy")
    func viewerCannotApply() async throws {
        let fixture = try Self.fixture(requireAuth: true)
        let viewer = try await fixture.secret(.viewer)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/sluice/stacks:plan", method: .post, headers: APIFixture.bearer(viewer), body: Self.body()
            ) { response in #expect(response.status == .ok) }
            try await client.execute(
                uri: "/v1/sluice/stacks:apply", method: .post, headers: APIFixture.bearer(viewer), body: Self.body()
            ) { response in #expect(response.status == .forbidden) }
            try await client.execute(
                uri: "/v1/sluice/stacks/demo:destroy", method: .post, headers: APIFixture.bearer(viewer)
            ) { response in #expect(response.status == .forbidden) }
        }
        #expect(try await PubSubService(log: fixture.log).topicExists("events") == false)
    }

    @Test("a stack that runs commands on the server needs an admin token; an editor is refused and told which")
    func hostCommandsNeedAdmin() async throws {
        let fixture = try Self.fixture(requireAuth: true)
        let editor = try await fixture.secret(.editor)
        let admin = try await fixture.secret(.admin)
        let yaml = """
            name: jobs
            topics:
              - name: events
            functions:
              - name: run-job
                triggerTopic: events
                command: [/bin/true]
            models:
              - name: worker
                command: [python3, worker.py]
            """
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/sluice/stacks:apply", method: .post, headers: APIFixture.bearer(editor),
                body: Self.body(yaml: yaml, files: [:])
            ) { response in
                #expect(response.status == .forbidden)
                let message = APIFixture.error(response.body)["message"] as? String ?? ""
                #expect(message.contains("function run-job, model worker"), "\(message)")
            }
            #expect(try await PubSubService(log: fixture.log).topicExists("events") == false)
            try await client.execute(
                uri: "/v1/sluice/stacks:apply", method: .post, headers: APIFixture.bearer(admin),
                body: Self.body(yaml: yaml, files: [:])
            ) { response in #expect(response.status == .ok) }
        }
        #expect(try await PubSubService(log: fixture.log).topicExists("events"))
    }

    @Test(
        "a stack name no stack file could have is INVALID_ARGUMENT and reaches no stack",
        arguments: ["demo%00", "..%2Fx", "demo%0Ax", "..", String(repeating: "d", count: 256)])
    func oddStackNamesReachNoStack(_ name: String) async throws {
        let fixture = try Self.fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/sluice/stacks:apply", method: .post, body: Self.body()) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/sluice/stacks/\(name)", method: .get) {
                #expect(APIFixture.error($0.body)["status"] as? String == "INVALID_ARGUMENT")
            }
            try await client.execute(uri: "/v1/sluice/stacks/\(name):destroy", method: .post) {
                #expect(APIFixture.error($0.body)["status"] as? String == "INVALID_ARGUMENT")
            }
        }
        #expect(try await PubSubService(log: fixture.log).topicExists("events"))
    }

    @Test("destroy deletes what the stack owns and reports it; the stack then owns nothing")
    func destroyDeletesWhatTheStackOwns() async throws {
        let fixture = try Self.fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/sluice/stacks:apply", method: .post, body: Self.body()) { _ in }
            try await client.execute(uri: "/v1/sluice/stacks/demo", method: .get) { response in
                #expect(APIFixture.json(response.body)["resources"] as? [String] == ["topic/events", "workflow/echo"])
            }
            try await client.execute(uri: "/v1/sluice/stacks/demo:destroy", method: .post) { response in
                #expect(response.status == .ok)
                #expect(APIFixture.json(response.body)["destroyed"] as? [String] == ["workflow/echo", "topic/events"])
            }
            try await client.execute(uri: "/v1/sluice/stacks/demo", method: .get) { response in
                #expect(APIFixture.json(response.body)["resources"] as? [String] == [])
            }
        }
        #expect(try await PubSubService(log: fixture.log).topicExists("events") == false)
    }
}
