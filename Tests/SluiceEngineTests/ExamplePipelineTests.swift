import Foundation
import Logging
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import SluiceTesting
import SluiceWorkflows
import Testing

@Suite("The example ML pipeline predicts an uploaded sample and stores the prediction")
struct ExamplePipelineTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../ops/examples/ml-pipeline").standardized

    @Test("uploading a digit sample runs pipeline.yaml: read through the storage connector, predict, store")
    func uploadIsPredictedAndStored() async throws {
        let log = MemoryEventLog()
        let directory = ScratchSpace.url("sluice-example-\(UUID())").path
        let storage = StorageService(log: log, objects: try LocalObjectStore(directory: directory))
        let catalog = WorkflowCatalog(log: log)
        let late = LateRunner()
        let router = GoogleEffectRouter(
            models: try ModelRegistry(directory: Self.example.appendingPathComponent("model").path),
            topics: PubSubTopicPublisher(pubsub: PubSubService(log: log)),
            executions: ExecutionsConnector(runners: late, catalog: catalog),
            storage: StorageConnector(storage: storage), next: UnroutedEffectPerformer())
        let runner = ExecutionRunner(
            log: log, catalog: catalog,
            performer: SystemEffectPerformer(now: WallClock.microsecondsSinceEpoch, next: router))
        late.set(runner)
        let pubsub = PubSubService(log: log)
        try await storage.createBucket("uploads")
        try await storage.createBucket("predictions")
        try await pubsub.createTopic("uploads-finalized")
        try await catalog.deploy(
            name: "predict-digit",
            source: String(contentsOf: Self.example.appendingPathComponent("pipeline.yaml"), encoding: .utf8))
        try await FunctionsService(log: log).deploy(
            FunctionConfig(
                name: try FunctionName("on-upload"), triggerTopic: try TopicName("uploads-finalized"),
                target: .startWorkflow(workflow: "predict-digit")))
        _ = try await storage.createNotification(
            NotificationConfig(id: 0, topic: try TopicName("uploads-finalized"), eventTypes: [.objectFinalize]),
            bucket: "uploads")

        let sample = try Data(contentsOf: Self.example.appendingPathComponent("model/samples/sample-0.json"))
        let logger = Logger(label: "test")
        let prediction = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await NotificationEmitter(log: log, pubsub: pubsub, logger: logger).run() }
            group.addTask {
                try await FunctionDispatcher(log: log, runner: runner, catalog: catalog, logger: logger).run()
            }
            group.addTask { try await ExecutionScheduler(log: log, runner: runner, logger: logger).run() }
            try await storage.upload(
                bucket: "uploads", object: "digits/sample-0.json", bytes: Array(sample), contentType: "application/json"
            )
            var stored: ObjectVersion?
            for _ in 0..<500 where stored == nil {
                stored = try? await storage.object(
                    bucket: "predictions", object: "digits/sample-0.json.prediction.json")
                if stored == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            // The prediction is stored a moment before the execution records its success.
            for _ in 0..<500 {
                let succeeded = try await log.query(EventQuery(types: ["execution.succeeded"], limit: 1)).events
                if !succeeded.isEmpty { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            group.cancelAll()
            return try #require(stored)
        }
        let body = try JSONReader.parse(String(decoding: try await storage.content(of: prediction), as: UTF8.self))
        #expect(body["source"] == "gs://uploads/digits/sample-0.json")
        #expect(body["predictions"]?.listValue?.first?["label"] == "1")

        let correlation = try await JourneyTrace.correlation(
            ofStream: try ResourceStreams.object(try BucketName("uploads"), try ObjectName("digits/sample-0.json")),
            in: log)
        let journey = try await JourneyTrace.load(log, correlationID: correlation).steps.map(\.type)
        for type in ["object.finalized", "message.published", "execution.started", "delivery.acked"] {
            #expect(journey.contains(type), "the trace lacks \(type)")
        }
        #expect(journey.first == "object.finalized")
        // Every effect of pipeline.yaml is replay-safe or a planned write, so the function starts,
        // runs and ends the execution in one append: the prediction stored and the delivery
        // acknowledged with it.
        #expect(
            journey == [
                "object.finalized", "message.published", "execution.started", "execution.steps_started",
                "effect.completed", "effect.completed", "effect.completed", "execution.succeeded", "object.finalized",
                "delivery.acked",
            ])
        // The stored prediction belongs to the same journey as the upload that caused it.
        #expect(journey.filter { $0 == "object.finalized" }.count == 2)
        let predictionStream = try ResourceStreams.object(
            try BucketName("predictions"), try ObjectName("digits/sample-0.json.prediction.json"))
        #expect(try await JourneyTrace.correlation(ofStream: predictionStream, in: log) == correlation)
    }
}
