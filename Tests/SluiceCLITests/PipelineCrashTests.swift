import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The pipeline's exactly-once promise under `kill -9`: uploads are acknowledged over the Storage
/// API while the server is killed again and again; afterwards every acknowledged upload has
/// exactly one execution and one stored prediction.
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

    @Test("every acknowledged upload gets exactly one execution and its prediction after repeated kills")
    func uploadsSurviveKills() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let acknowledged = Acknowledged()
        var kills = 0
        let deadline = Date().addingTimeInterval(300)
        while await acknowledged.count < 1_000, Date() < deadline {
            let server = try ServeProcess(binary: binary, database: database, arguments: ["--stack", "example"])
            let runFor = Double.random(in: 0.2...0.8)
            // At most 150 more per run, so the server is killed at least seven times.
            let target = min(1_000, await acknowledged.count + 150)
            await upload(to: server, acknowledged, target: target, until: Date().addingTimeInterval(runFor))
            _ = server.stop(signal: SIGKILL)
            kills += 1
        }
        #expect(await acknowledged.count >= 1_000)
        #expect(kills >= 7)

        // A last, clean run lets every resumed delivery and execution finish.
        let server = try ServeProcess(binary: binary, database: database, arguments: ["--stack", "example"])
        var started: [String: Int] = [:]
        var stored = 0
        let names = await acknowledged.names
        for _ in 0..<600 {
            started = try PipelineAudit.executionsByObject(binary, database)
            stored = try await PipelineAudit.objectNames(server, bucket: "predictions").count
            if names.allSatisfy({ started[$0] != nil }), stored >= names.count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        _ = server.stop(signal: SIGTERM)
        print("pipeline crash test: \(kills) kills, \(names.count) acknowledged uploads, \(stored) predictions stored")
        let missing = names.filter { started[$0] == nil }
        #expect(missing.isEmpty, "acknowledged uploads without an execution: \(missing.sorted().prefix(5))")
        let twice = started.filter { $0.value > 1 }
        #expect(twice.isEmpty, "uploads with more than one execution: \(twice.keys.sorted().prefix(5))")
        #expect(stored >= names.count)
        #expect(try binary.run(["admin", "verify", "--db", database]).status == 0)
    }
}
