import SluiceAdaptersLocal
import SluiceCore
import SluiceStack
import Testing

@Suite("A stack's model is a model file, an HTTP endpoint or a worker command")
struct StackModelTests {
    static func model(_ spec: String) throws -> [UInt8] {
        let yaml = "name: demo\nmodels:\n  - name: m\n" + spec
        let desired = try StackDesired(StackFile(yaml: yaml, path: "s.yaml"), source: EmbeddedStackSource(files: [:]))
        return try #require(desired.models.first).json
    }

    @Test("a url becomes an endpoint model the runtime serves with that URL and timeout")
    func urlIsEndpoint() throws {
        let json = try Self.model("    url: http://127.0.0.1:9000/v1/models/m:predict\n    timeoutSeconds: 5\n")
        let endpoint = try #require(try ModelRuntimes.predictor(json: json) as? HTTPEndpointPredictor)
        #expect(endpoint.url == "http://127.0.0.1:9000/v1/models/m:predict")
        #expect(endpoint.timeout == .seconds(5))
    }

    @Test("a command becomes a worker pool of the given size")
    func commandIsWorkerPool() throws {
        let json = try Self.model("    command: [python3, worker.py]\n    workers: 2\n")
        let worker = try #require(try ModelRuntimes.predictor(json: json) as? CommandWorkerPredictor)
        #expect(worker.command == ["python3", "worker.py"])
        #expect(worker.workers == 2)
    }

    @Test("the same spec always gives the same document, so applying it again changes nothing")
    func documentIsStable() throws {
        let spec = "    command: [python3, worker.py]\n    workers: 2\n    timeoutSeconds: 30\n"
        #expect(try Self.model(spec) == Self.model(spec))
        #expect(
            String(decoding: try Self.model(spec), as: UTF8.self)
                == #"{"command":["python3","worker.py"],"format":"sluice.worker.v1","timeoutSeconds":30,"workers":2}"#)
    }
}
