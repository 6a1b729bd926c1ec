import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The service under load: 64 clients upload over the Storage API for 30 s; afterwards every
/// acknowledged upload is stored, has exactly one execution and its prediction.
///
/// Each client uploads at most every 500 ms (at most 128 uploads/s in all), about what the
/// debug build's pipeline sustains on 2 cores, so the test ends soon after its 30 s; the release
/// build's throughput is `sluice bench http`'s to measure.
@Suite("64 clients uploading for 30 s lose nothing and run each upload exactly once", .serialized)
struct UploadLoadTests {
    actor Tally {
        private(set) var acknowledged: Set<String> = []
        private(set) var refused = 0
        func ack(_ name: String) { acknowledged.insert(name) }
        func refuse() { refused += 1 }
    }

    @Test("every upload acknowledged during 30 s of 64 parallel clients is stored and predicted exactly once")
    func sixtyFourClientsForThirtySeconds() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let server = try await ServeProcess(binary: binary, database: database, arguments: ["--stack", "example"])
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 30
        let session = URLSession(configuration: configuration)
        let sample = PipelineCrashTests.sample ?? ""
        let port = server.port
        let tally = Tally()
        let deadline = Date().addingTimeInterval(30)
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<64 {
                group.addTask {
                    var index = 0
                    while Date() < deadline {
                        index += 1
                        let next = ContinuousClock.now + .milliseconds(500)
                        let name = "load-\(client)-\(index).json"
                        var request = URLRequest(
                            url: URL(
                                string:
                                    "http://127.0.0.1:\(port)/upload/storage/v1/b/uploads/o?uploadType=media&name=\(name)"
                            )!)
                        request.httpMethod = "POST"
                        request.httpBody = Data(sample.utf8)
                        let status = try? await (session.data(for: request).1 as? HTTPURLResponse)?.statusCode
                        if status == 200 { await tally.ack(name) } else { await tally.refuse() }
                        try? await Task.sleep(until: next, clock: .continuous)
                    }
                }
            }
        }
        let names = await tally.acknowledged
        // Cheap to poll: the server's count of succeeded executions.
        for _ in 0..<300 where try await succeeded(server) < names.count {
            try await Task.sleep(for: .seconds(1))
        }
        let started = try await PipelineAudit.executionsByObject(binary, database)
        let predicted = try await PipelineAudit.objectNames(server, bucket: "predictions")
        let stored = try await PipelineAudit.objectNames(server, bucket: "uploads")
        _ = await server.stop(signal: SIGTERM)
        print(
            "load test: \(names.count) uploads acknowledged in 30 s by 64 clients, \(await tally.refused) refused, "
                + "\(predicted.count) predictions stored")
        #expect(names.count >= 64)
        #expect(await tally.refused == 0)
        let lost = names.subtracting(stored)
        #expect(lost.count == 0, "acknowledged but not stored, e.g. \(lost.sorted().prefix(5))")
        let missing = names.filter { started[$0] == nil }
        #expect(missing.count == 0, "acknowledged uploads without an execution, e.g. \(missing.sorted().prefix(5))")
        let twice = started.filter { $0.value > 1 }
        #expect(twice.count == 0, "uploads with more than one execution, e.g. \(twice.keys.sorted().prefix(5))")
        let unpredicted = names.filter { !predicted.contains($0 + ".prediction.json") }
        #expect(unpredicted.count == 0, "uploads without a stored prediction, e.g. \(unpredicted.sorted().prefix(5))")
        #expect(try await binary.run(["admin", "verify", "--db", database]).status == 0)
    }

    /// `sluice_executions_finished_total{state="succeeded"}` from the server's metrics.
    func succeeded(_ server: ServeProcess) async throws -> Int {
        let metrics = try await server.text("/metrics")
        let line = metrics.split(separator: "\n").first {
            $0.hasPrefix("sluice_executions_finished_total") && $0.contains("state=\"succeeded\"")
        }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }
}
