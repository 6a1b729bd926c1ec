import Foundation
import SluiceTesting
import Testing

/// The CLI as a client of a running server (`--server`): the same commands, through the HTTP API.
@Suite("With --server the CLI works through a running server's API", .serialized)
struct ClientModeTests {
    @Test("upload, events query, trace and executions get go through the server and see the pipeline's work")
    func commandsWorkThroughTheServer() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let server = try await ServeProcess(binary: binary, database: database, arguments: ["--stack", "example"])
        defer { server.terminate(signal: SIGTERM) }
        let url = "http://127.0.0.1:\(server.port)"
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../ops/examples/ml-pipeline/model/samples/sample-3.json").standardized.path

        let upload = try await binary.run([
            "upload", "uploads", sample, "--name", "client/3.json", "--content-type", "application/json",
            "--server", url,
        ])
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(upload.stdout.contains("\"name\":\"client/3.json\""))

        var started: [String: Any]?
        for _ in 0..<300 where started == nil {
            let query = try await binary.run([
                "events", "query", "--type", "execution.succeeded", "--json", "--server", url,
            ])
            started =
                query.stdout.split(separator: "\n").compactMap {
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }.first
            if started == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let stream = try #require(started?["stream"] as? String)
        let execution = String(stream.dropFirst("execution/".count))

        let got = try await binary.run(["executions", "get", execution, "--server", url])
        #expect(got.status == 0)
        #expect(got.stdout.contains("\"state\":\"SUCCEEDED\""))

        let trace = try await binary.run(["trace", "--object", "gs://uploads/client/3.json", "--json", "--server", url])
        #expect(trace.status == 0)
        #expect(trace.stdout.contains("\"type\":\"object.finalized\""))
        #expect(trace.stdout.contains("\"type\":\"execution.succeeded\""))

        let listed = try await binary.run([
            "executions", "list", "--workflow", "predict-digit", "--json", "--server", url,
        ])
        #expect(listed.stdout.contains(execution))
        let table = try await binary.run(["executions", "list", "--workflow", "predict-digit", "--db", database])
        #expect(table.stdout.contains("SUCCEEDED"))

        #expect(try await binary.run(["topics", "create", "client-topic", "--db", database]).status == 0)
        let published = try await binary.run([
            "publish", "client-topic", "--data", "hello", "--attribute", "kind=test", "--server", url,
        ])
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.stdout.contains("\"messageIds\":[\""))

        let missing = try await binary.run(["executions", "get", "no-such-run", "--server", url])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("404"))

        let replay = try await binary.run([
            "executions", "replay", "--where", "data.error.code = 503", "--reason", "none failed", "--server", url,
        ])
        #expect(replay.status == 0)
        #expect(replay.stdout.isEmpty)
        let redrive = try await binary.run([
            "subscriptions", "redrive", "eventarc-on-upload", "--reason", "r", "--server", url,
        ])
        #expect(redrive.status == 0, "\(redrive.stderr)")
        #expect(redrive.stdout.contains("nothing is dead-lettered"))
    }

    @Test("admin verify and a directory upload go through the server: the server checks its own log")
    func verifyAndDirectoryUploadWorkThroughTheServer() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let server = try await ServeProcess(binary: binary, database: database, arguments: ["--stack", "example"])
        defer { server.terminate(signal: SIGTERM) }
        let url = "http://127.0.0.1:\(server.port)"
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../ops/examples/ml-pipeline/model/samples").standardized.path

        let upload = try await binary.run(["upload", "uploads", samples, "--prefix", "bulk/", "--server", url])
        #expect(upload.status == 0, "\(upload.stderr)")
        let count = try FileManager.default.contentsOfDirectory(atPath: samples).filter { !$0.hasPrefix(".") }.count
        #expect(upload.stdout.split(separator: "\n").count == count)
        #expect(upload.stderr.contains("upload: \(count) stored, 0 skipped, 0 failed"))
        let again = try await binary.run([
            "upload", "uploads", samples, "--prefix", "bulk/", "--no-clobber", "--server", url,
        ])
        #expect(again.stderr.contains("upload: 0 stored, \(count) skipped, 0 failed"), "\(again.stderr)")

        let verify = try await binary.run(["admin", "verify", "--server", url])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("ok: "))
        #expect(verify.stdout.contains("hash chain intact"))
    }

    @Test("apply and destroy send the stack file and the files it names to the server, which applies them live")
    func applyAndDestroyWorkThroughTheServer() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let server = try await ServeProcess(binary: binary, database: database, arguments: ["--stack", "none"])
        defer { server.terminate(signal: SIGTERM) }
        let url = "http://127.0.0.1:\(server.port)"
        let directory = ScratchSpace.url("remote-stack-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("flows"), withIntermediateDirectories: true)
        let stack = directory.appendingPathComponent("stack.yaml").path
        try
            "name: remote\ntopics:\n  - name: events\nworkflows:\n  - name: echo\n    source: flows/echo.yaml\noutputs:\n  topic: events\n"
            .write(toFile: stack, atomically: true, encoding: .utf8)
        try "main:\n  params: [args]\n  steps:\n    - r:\n        return: ${args.n + 1}\n"
            .write(to: directory.appendingPathComponent("flows/echo.yaml"), atomically: true, encoding: .utf8)

        let unconfirmed = try await binary.run(["apply", stack, "--server", url])
        #expect(unconfirmed.status != 0)
        #expect(unconfirmed.stdout.contains("+ workflow/echo"))
        let applied = try await binary.run(["apply", stack, "--yes", "--server", url])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("+ topic/events"))
        #expect(applied.stdout.contains("applied stack remote"))
        #expect(applied.stdout.contains("output topic = events"))
        let again = try await binary.run(["apply", stack, "--server", url])
        #expect(again.status == 0)
        #expect(again.stdout.contains("plan: 0 to create, 0 to update, 0 to delete, 2 unchanged"))

        let execution = try await server.request(
            "POST", "/v1/projects/p/locations/l/workflows/echo/executions", body: #"{"argument": "{\"n\": 41}"}"#)
        let finished = try await server.waitForState(try #require(execution["name"] as? String), "SUCCEEDED")
        #expect(finished["result"] as? String == "42")

        let destroyed = try await binary.run(["destroy", stack, "--yes", "--server", url])
        #expect(destroyed.status == 0, "\(destroyed.stderr)")
        #expect(destroyed.stdout.contains("- topic/events"))
        #expect(destroyed.stdout.contains("destroyed stack remote"))
        let planned = try await binary.run(["apply", stack, "--plan-only", "--server", url])
        #expect(planned.stdout.contains("plan: 2 to create"))
    }
}
