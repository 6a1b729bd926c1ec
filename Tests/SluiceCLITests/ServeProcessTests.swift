import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `sluice serve` as a user runs it: a real process on a free loopback port.
@Suite("sluice serve runs executions through the API and resumes them after a crash", .serialized)
struct ServeProcessTests {
    static let base = "/v1/projects/p/locations/l"
    static let sleeper =
        #"{"sourceContents": "main:\n  params: [args]\n  steps:\n    - w:\n        call: sys.sleep\n        args:\n          seconds: 1\n    - r:\n        return: ${args.n * 2}\n"}"#

    private func database() throws -> String { try ServeProcess.temporaryDatabase() }

    @Test("an execution created over HTTP runs to SUCCEEDED, and SIGTERM stops the server cleanly")
    func executionRunsAndServerStopsCleanly() async throws {
        let server = try await ServeProcess(binary: try SluiceBinary.locate(), database: try database())
        _ = try await server.request("POST", Self.base + "/workflows?workflowId=sleeper", body: Self.sleeper)
        let created = try await server.request(
            "POST", Self.base + "/workflows/sleeper/executions", body: #"{"argument": "{\"n\": 4}"}"#)
        let name = try #require(created["name"] as? String)
        let execution = try await server.waitForState(name, "SUCCEEDED")
        #expect(execution["result"] as? String == "8")
        let output = await server.stop(signal: SIGTERM)
        #expect(server.process.terminationStatus == 0)
        #expect(output.contains("event log closed"))
    }

    @Test("an execution whose server was killed mid-sleep finishes after a restart")
    func executionResumesAfterKill() async throws {
        let binary = try SluiceBinary.locate()
        let path = try database()
        let first = try await ServeProcess(binary: binary, database: path)
        _ = try await first.request("POST", Self.base + "/workflows?workflowId=sleeper", body: Self.sleeper)
        let created = try await first.request(
            "POST", Self.base + "/workflows/sleeper/executions", body: #"{"argument": "{\"n\": 5}"}"#)
        let name = try #require(created["name"] as? String)
        try await Task.sleep(for: .milliseconds(300))
        _ = await first.stop(signal: SIGKILL)

        let second = try await ServeProcess(binary: binary, database: path)
        let execution = try await second.waitForState(name, "SUCCEEDED")
        #expect(execution["result"] as? String == "10")
        _ = await second.stop(signal: SIGTERM)
        let events = try await binary.run(["events", "query", "--db", path, "--type", "effect.requested", "--json"])
        #expect(
            events.stdout.split(separator: "\n").count == 1, "the sleep was requested once, and resumed, not restarted")
    }

    @Test("a workflow's unchanged Vertex AI predict call is answered by a built-in model")
    func predictCallReachesBuiltInModel() async throws {
        let path = try database()
        let models = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let tiny =
            #"{"format": "sluice.dense.v1", "inputs": 2, "labels": ["low", "high"], "layers": [{"weights": [[1, -1]], "bias": [0], "activation": "relu"}, {"weights": [[-1], [1]], "bias": [0.5, -0.5], "activation": "softmax"}]}"#
        try Data(tiny.utf8).write(to: models.appendingPathComponent("tiny.json"))
        let server = try await ServeProcess(binary: try SluiceBinary.locate(), database: path)
        let source = """
            main:
              params: [args]
              steps:
                - predict:
                    call: http.post
                    args:
                      url: https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/tiny:predict
                      auth:
                        type: OAuth2
                      body:
                        instances: ${args.instances}
                    result: response
                - done:
                    return: ${response.body.predictions[0].label}
            """
        let body = String(
            decoding: try JSONSerialization.data(withJSONObject: ["sourceContents": source]), as: UTF8.self)
        _ = try await server.request("POST", Self.base + "/workflows?workflowId=classify", body: body)
        let created = try await server.request(
            "POST", Self.base + "/workflows/classify/executions", body: #"{"argument": "{\"instances\": [[3, 1]]}"}"#)
        let execution = try await server.waitForState(try #require(created["name"] as? String), "SUCCEEDED")
        #expect(execution["result"] as? String == "\"high\"")
        _ = await server.stop(signal: SIGTERM)
    }

    @Test("an upload from the CLI reaches a running server's pipeline and starts the subscribed workflow")
    func uploadStartsWorkflowThroughTheServer() async throws {
        let binary = try SluiceBinary.locate()
        let path = try database()
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        let workflow = directory.appendingPathComponent("on-upload.yaml")
        try Data(
            """
            main:
              params: [event]
              steps:
                - decode:
                    assign:
                      - object: ${json.decode(base64.decode(event.message.data))}
                - done:
                    return: ${object.name + "/" + event.message.attributes.eventType}
            """.utf8
        ).write(to: workflow)
        for command in [
            ["workflows", "deploy", "on-upload", workflow.path], ["buckets", "create", "uploads"],
            ["topics", "create", "finalized"],
            ["functions", "deploy", "predict", "--trigger-topic", "finalized", "--start-workflow", "on-upload"],
            ["buckets", "notify", "uploads", "--topic", "finalized"],
        ] {
            #expect(try await binary.run(command + ["--db", path]).status == 0, "\(command)")
        }
        let server = try await ServeProcess(binary: binary, database: path)
        let file = directory.appendingPathComponent("cat.png")
        try Data([1, 2, 3]).write(to: file)
        #expect(try await binary.run(["upload", "uploads", file.path, "--db", path]).status == 0)
        var result = ""
        for _ in 0..<300 where result.isEmpty {
            let events = try await binary.run([
                "events", "query", "--type", "execution.succeeded", "--json", "--db", path,
            ])
            .stdout
            result = events
            if result.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        _ = await server.stop(signal: SIGTERM)
        #expect(result.contains(#""result":"cat.png/OBJECT_FINALIZE""#))
    }
}
