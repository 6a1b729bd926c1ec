import Foundation
import Testing

@Suite("sluice serve reads its settings from flags, SLUICE_* variables and a YAML file", .serialized)
struct ServeConfigurationProcessTests {
    @Test("serve started with environment variables and a config file alone listens and uses them")
    func environmentAndFile() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let directory = URL(fileURLWithPath: database).deletingLastPathComponent()
        let file = directory.appendingPathComponent("sluice.yaml")
        try Data("port: 0\nmax_body_bytes: 64\n".utf8).write(to: file)
        let server = try await ServeProcess(
            binary: binary, serveArguments: [],
            environment: ["SLUICE_CONFIG": file.path, "SLUICE_DATA_DIR": directory.path])
        let big = #"{"sourceContents": "\#(String(repeating: "x", count: 100))"}"#
        let outcome = try await server.call("POST", "/v1/projects/p/locations/l/workflows?workflowId=w", body: big)
        _ = await server.stop(signal: SIGTERM)
        #expect(outcome.status == 400)
        #expect(FileManager.default.fileExists(atPath: database), "the log is in SLUICE_DATA_DIR")
    }

    @Test("with public_url the ID token issuer and callback endpoints name that URL, not the bound address")
    func publicURLIsAnnounced() async throws {
        let binary = try SluiceBinary.locate()
        let server = try await ServeProcess(
            binary: binary, database: try ServeProcess.temporaryDatabase(),
            arguments: ["--stack", "none", "--public-url", "https://sluice.example.internal/"])
        defer { server.terminate(signal: SIGTERM) }
        let discovery = try await server.request("GET", "/.well-known/openid-configuration")
        #expect(discovery["issuer"] as? String == "https://sluice.example.internal")
        let source =
            "main:\n  steps:\n    - c:\n        call: events.create_callback_endpoint\n        result: e\n    - r:\n        return: ${e.url}\n"
        let done = try await server.waitForState(try await server.startWorkflow("cb", source: source), "SUCCEEDED")
        #expect((done["result"] as? String)?.hasPrefix("\"https://sluice.example.internal/") == true, "\(done)")
    }

    @Test("a public_url that is not an http(s) URL stops serve with a message naming the key")
    func badPublicURLIsRefused() async throws {
        let binary = try SluiceBinary.locate()
        let outcome = try await binary.run([
            "serve", "--public-url", "sluice.example", "--db", try ServeProcess.temporaryDatabase(),
        ])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("public_url"), "\(outcome.stderr)")
    }

    @Test("an unknown key in the config file stops serve with a message naming the key")
    func unknownKeyIsRefused() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let file = URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("bad.yaml")
        try Data("prot: 8080\n".utf8).write(to: file)
        let outcome = try await binary.run(["serve", "--config", file.path, "--db", database])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("unknown configuration key 'prot'"), "\(outcome.stderr)")
    }

    @Test("/metrics on a running server reports the log's appends and the requests served")
    func metricsFromRunningServer() async throws {
        let binary = try SluiceBinary.locate()
        let server = try await ServeProcess(binary: binary, database: try ServeProcess.temporaryDatabase())
        let body = #"{"sourceContents": "main:\n  steps:\n    - r:\n        return: 1\n"}"#
        _ = try await server.call("POST", "/v1/projects/p/locations/l/workflows?workflowId=w", body: body)
        let text = try await server.text("/metrics")
        _ = await server.stop(signal: SIGTERM)
        #expect(text.contains("sluice_log_appends_total 1"))
        #expect(
            text.contains(
                #"sluice_http_requests_total{route="/v1/projects/{project}/locations/{location}/workflows",method="POST",status="200"} 1"#
            ))
    }
}
