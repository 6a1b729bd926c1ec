import Foundation
import SluiceTesting
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The pipeline's exactly-once promise under `kill -9`: uploads are acknowledged over the Storage
/// API while the server is killed again and again; afterwards every acknowledged upload has
/// exactly one execution, the model server made exactly one prediction per execution, and every
/// result is stored.
@Suite("kill -9 during 1,000 uploads loses none and runs each exactly once", .serialized)
struct PipelineCrashTests {
    static let sample = try? String(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../ops/examples/ml-pipeline/model/samples/sample-0.json").standardized,
        encoding: .utf8)

    actor Acknowledged {
        var names: Set<String> = []
        var next = 0
        func take() -> Int {
            next += 1
            return next
        }
        func add(_ name: String) { names.insert(name) }
        var count: Int { names.count }
    }

    /// Uploads with `writers` concurrent clients until `deadline`; unacknowledged attempts are
    /// never retried under the same name, so each acknowledged name is exactly one upload.
    func upload(to server: ServeProcess, _ acknowledged: Acknowledged, target: Int, until deadline: Date) async {
        let port = server.port
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while Date() < deadline, await acknowledged.count < target {
                        let name = "crash-\(await acknowledged.take()).json"
                        guard let status = try? await Self.post(port: port, name: name) else { return }
                        if status == 200 { await acknowledged.add(name) }
                    }
                }
            }
        }
    }

    /// One media upload; the HTTP status, or an error when the server is gone.
    static func post(port: Int, name: String) async throws -> Int {
        var request = URLRequest(
            url: URL(string: "http://127.0.0.1:\(port)/upload/storage/v1/b/uploads/o?uploadType=media&name=\(name)")!)
        request.httpMethod = "POST"
        request.httpBody = Data((sample ?? "").utf8)
        request.timeoutInterval = 5
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test("every acknowledged upload gets exactly one execution and one prediction at the model server after kills")
    func uploadsSurviveKills() async throws {
        let model = CountingModelServer()
        try await TestHTTPServer.with(model.router()) { port in
            try await uploadWhileKilling(model: model, stack: try CountingModelServer.exampleStack(modelPort: port))
        }
    }

    func uploadWhileKilling(model: CountingModelServer, stack: String) async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let acknowledged = Acknowledged()
        var kills = 0
        let deadline = Date().addingTimeInterval(300)
        while await acknowledged.count < 1_000, Date() < deadline {
            let server = try await ServeProcess(binary: binary, database: database, arguments: ["--stack", stack])
            let runFor = Double.random(in: 0.2...0.8)
            // At most 100 more per run, so the server is killed at least ten times.
            let target = min(1_000, await acknowledged.count + 100)
            await upload(to: server, acknowledged, target: target, until: Date().addingTimeInterval(runFor))
            _ = await server.stop(signal: SIGKILL)
            kills += 1
        }
        #expect(await acknowledged.count >= 1_000)
        #expect(kills >= 10)

        // A last, clean run lets every resumed delivery and execution finish.
        let server = try await ServeProcess(binary: binary, database: database, arguments: ["--stack", stack])
        var started: [String: Int] = [:]
        var stored = 0
        let names = await acknowledged.names
        for _ in 0..<600 {
            started = try await PipelineAudit.executionsByObject(binary, database)
            stored = try await PipelineAudit.objectNames(server, bucket: "predictions").count
            // Uploads stored but not acknowledged (a kill took the answer) run too: wait for all.
            if names.allSatisfy({ started[$0] != nil }), stored >= started.values.reduce(0, +) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        _ = await server.stop(signal: SIGTERM)
        let predictions = await model.predictions
        let executions = started.values.reduce(0, +)
        print(
            "pipeline crash test: \(kills) kills, \(names.count) acknowledged uploads, \(executions) executions, "
                + "\(predictions) predictions at the model server (\(await model.repeats) retried requests), "
                + "\(stored) predictions stored")
        #expect(await model.unkeyed == 0, "every prediction request carries an idempotency key")
        #expect(predictions == executions, "one prediction per execution at the model server")
        let missing = names.filter { started[$0] == nil }
        #expect(missing.isEmpty, "acknowledged uploads without an execution: \(missing.sorted().prefix(5))")
        let twice = started.filter { $0.value > 1 }
        #expect(twice.isEmpty, "uploads with more than one execution: \(twice.keys.sorted().prefix(5))")
        #expect(stored >= names.count)
        #expect(try await binary.run(["admin", "verify", "--db", database]).status == 0)
    }
}
