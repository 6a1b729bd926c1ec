import Foundation
import Testing

/// The README's first command: `sluice serve` with the embedded example ML pipeline.
@Suite("sluice serve applies the example ML pipeline and predicts an uploaded sample")
struct ExamplePipelineProcessTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../ops/examples/ml-pipeline/model/samples").standardized

    @Test("an upload over the Storage API ends as a stored prediction with scikit-learn's label")
    func uploadIsPredicted() async throws {
        let binary = try SluiceBinary.locate()
        let server = try await ServeProcess(
            binary: binary, database: try ServeProcess.temporaryDatabase(), arguments: ["--stack", "example"])
        let sample = try String(contentsOf: Self.samples.appendingPathComponent("sample-3.json"), encoding: .utf8)
        let object = try await server.request(
            "POST", "/upload/storage/v1/b/uploads/o?uploadType=media&name=digit.json", body: sample)
        #expect(object["name"] as? String == "digit.json")
        var prediction: [String: Any] = [:]
        for _ in 0..<300 where prediction.isEmpty {
            prediction = try await server.request(
                "GET", "/storage/v1/b/predictions/o/digit.json.prediction.json?alt=media")
            if prediction["predictions"] == nil {
                prediction = [:]
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        _ = await server.stop(signal: SIGTERM)
        let first = (prediction["predictions"] as? [[String: Any]])?.first
        #expect(first?["label"] as? String == "7")
        #expect(prediction["source"] as? String == "gs://uploads/digit.json")
    }

    @Test("restarting applies the same stack again without changing anything")
    func restartChangesNothing() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        for _ in 0..<2 {
            let server = try await ServeProcess(binary: binary, database: database, arguments: ["--stack", "example"])
            _ = await server.stop(signal: SIGTERM)
        }
        let applied = try await binary.run(["events", "query", "--type", "stack.applied", "--json", "--db", database])
        #expect(applied.stdout.split(separator: "\n").count == 1)
        let plan = try await binary.run(["apply", "example", "--plan-only", "--db", database])
        #expect(plan.stdout.contains("plan: 0 to create, 0 to update, 0 to delete, 6 unchanged"))
    }
}
