import Foundation
import OrderedCollections
import SluiceAdaptersLocal
import SluiceWorkflows
import Testing

@Suite("The shipped digits model predicts what scikit-learn predicted")
struct ExampleModelTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../ops/examples/ml-pipeline/model").standardized

    @Test("every committed sample gets scikit-learn's label from the built-in runtime")
    func samplesMatchScikitLearn() async throws {
        let registry = try ModelRegistry(directory: Self.folder.path)
        #expect(await registry.names == ["digits"])
        let expected = try JSONReader.parse(
            String(
                decoding: try Data(contentsOf: Self.folder.appendingPathComponent("samples/expected.json")),
                as: UTF8.self))
        let samples = try #require(expected.mapValue)
        #expect(samples.count == 5)
        for (file, want) in samples {
            let body = try JSONReader.parse(
                String(
                    decoding: try Data(contentsOf: Self.folder.appendingPathComponent("samples/" + file)), as: UTF8.self
                ))
            let response = try await registry.predict(model: "digits", body: body, idempotencyKey: file).get()
            #expect(response["predictions"]?.listValue?.first?["label"] == want["label"], "\(file)")
        }
    }
}
