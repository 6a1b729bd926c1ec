import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows

/// A log, a catalog and a runner around one scripted performer.
struct EngineFixture {
    let log = MemoryEventLog()
    let catalog: WorkflowCatalog
    let performer = ScriptedPerformer()

    init() {
        catalog = WorkflowCatalog(log: log)
    }

    func runner(performer: (any EffectPerformer)? = nil) -> ExecutionRunner {
        ExecutionRunner(log: log, catalog: catalog, performer: performer ?? self.performer)
    }

    /// Deploys `source` as `workflow`, starts `id` on it and returns the id.
    func started(_ source: String, id: String = "run-1", argument: WorkflowValue = .null) async throws -> ExecutionID {
        let revision = try await catalog.deploy(name: "pipeline", source: source)
        let executionID = try ExecutionID(id)
        try await runner().start(
            executionID, ExecutionStart(workflow: "pipeline", revision: revision, argument: argument))
        return executionID
    }

    func types(_ id: ExecutionID) async throws -> [String] {
        await log.readStream(id.stream, from: 1, limit: 1_000).map(\.type)
    }
}

/// Two model calls, the second depending on the first: the shape of the ML pipeline.
enum Workflows {
    /// Sleeps 30 s, then returns 1: an execution that only waits.
    static let sleepThenReturn = """
        - wait:
            call: sys.sleep
            args:
              seconds: 30
        - done:
            return: 1
        """

    static let twoCalls = """
        main:
          params: [input]
          steps:
            - features:
                call: http.get
                args:
                  url: http://features.test/extract
                result: features
            - predict:
                call: http.post
                args:
                  url: http://model.test/predict
                  body: ${features.body}
                result: prediction
            - done:
                return: ${prediction.body}
        """

    static let twoCallsThenStore = """
        main:
          params: [input]
          steps:
            - features:
                call: http.get
                args:
                  url: http://features.test/extract
                result: features
            - predict:
                call: http.post
                args:
                  url: http://model.test/predict
                  body: ${features.body}
                result: prediction
            - store:
                call: http.put
                args:
                  url: http://store.test/result
                  body: ${prediction.body}
            - done:
                return: ${prediction.body}
        """
}
