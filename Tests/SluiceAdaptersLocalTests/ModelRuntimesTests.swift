import SluiceAdapters
import SluiceAdaptersLocal
import SluiceCore
import Testing

@Suite("A model file's format chooses its runtime")
struct ModelRuntimesTests {
    static func predictor(_ json: String) throws(SluiceError) -> any Predictor {
        try ModelRuntimes.predictor(json: Array(json.utf8))
    }

    @Test("sluice.endpoint.v1 is an HTTP endpoint with its URL and timeout")
    func endpointFormat() throws {
        let model = try Self.predictor(
            #"{"format": "sluice.endpoint.v1", "url": "http://127.0.0.1:9000/predict", "timeoutSeconds": 5}"#)
        let endpoint = try #require(model as? HTTPEndpointPredictor)
        #expect(endpoint.url == "http://127.0.0.1:9000/predict")
        #expect(endpoint.timeout == .seconds(5))
        #expect(!model.isInProcess)
    }

    @Test("sluice.worker.v1 is a worker pool with its command and size")
    func workerFormat() throws {
        let model = try Self.predictor(#"{"format": "sluice.worker.v1", "command": ["python3", "w.py"], "workers": 3}"#)
        let worker = try #require(model as? CommandWorkerPredictor)
        #expect(worker.command == ["python3", "w.py"])
        #expect(worker.workers == 3)
        #expect(!model.isInProcess)
    }

    @Test("any other format is a built-in model")
    func builtInFormat() throws {
        let model = try Self.predictor(
            #"{"format": "sluice.linear.v1", "inputs": 2, "weights": [1, 1], "bias": 0}"#)
        #expect(model is BuiltInModelPredictor)
        #expect(model.isInProcess)
    }

    @Test("an endpoint without an http URL, or a worker without a command, is refused")
    func incompleteDescriptorsAreRefused() {
        #expect(throws: SluiceError.self) {
            try Self.predictor(#"{"format": "sluice.endpoint.v1", "url": "file:///x"}"#)
        }
        #expect(throws: SluiceError.self) { try Self.predictor(#"{"format": "sluice.worker.v1", "command": []}"#) }
        #expect(throws: SluiceError.self) {
            try Self.predictor(#"{"format": "sluice.worker.v1", "command": ["w"], "workers": 0}"#)
        }
        #expect(throws: SluiceError.self) { try Self.predictor("[1, 2]") }
    }

    @Test(
        "whether a document runs a command is decided as the runtime reads it, whatever another JSON reader makes of it",
        arguments: [
            #"{"format": "sluice.worker.v1", "command": ["/bin/true"]}"#,
            #"{"format": "sluice.worker.v1", "command": ["/bin/true"], "big": 1e400}"#,
            #"{"format": "sluice.worker.v1", "command": ["/bin/true"], "note": "\ud800"}"#,
            #"{"format": "sluice.worker.v1", "command": ["/bin/true"], "format": "x"}"#,
            #"{"format": "x", "command": ["/bin/true"], "format": "sluice.worker.v1"}"#,
            #"{"format": "sluice.endpoint.v1", "url": "http://127.0.0.1:9/p"}"#,
            #"{"format": "sluice.linear.v1", "inputs": 1, "weights": [1], "bias": 0}"#,
            "not json",
        ])
    func runsCommandAgreesWithTheRuntime(_ json: String) {
        let runs = (try? Self.predictor(json)) is CommandWorkerPredictor
        #expect(ModelRuntimes.runsCommand(json: Array(json.utf8)) == runs, "\(json)")
    }
}
