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

@Suite("An upload flows through notification, topic and function into one execution")
struct PipelineTests {
    static let onUpload = """
        main:
          params: [event]
          steps:
            - decode:
                assign:
                  - object: ${json.decode(base64.decode(event.message.data))}
            - done:
                return:
                  name: ${object.name}
                  bucket: ${object.bucket}
                  size: ${object.size}
                  eventType: ${event.message.attributes.eventType}
        """

    struct Pipeline {
        let log = MemoryEventLog()
        let catalog: WorkflowCatalog
        let runner: ExecutionRunner
        let storage: StorageService
        let pubsub: PubSubService
        let functions: FunctionsService

        init() throws {
            catalog = WorkflowCatalog(log: log)
            runner = ExecutionRunner(
                log: log, catalog: catalog,
                performer: SystemEffectPerformer(now: WallClock.microsecondsSinceEpoch, next: UnroutedEffectPerformer())
            )
            let objects = try LocalObjectStore(
                directory: ScratchSpace.url("sluice-pipe-\(UUID())").path)
            storage = StorageService(log: log, objects: objects)
            pubsub = PubSubService(log: log)
            functions = FunctionsService(log: log)
        }

        func setUp() async throws {
            try await storage.createBucket("uploads")
            try await pubsub.createTopic("uploads-finalized")
            try await catalog.deploy(name: "on-upload", source: PipelineTests.onUpload)
            try await functions.deploy(
                FunctionConfig(
                    name: try FunctionName("predict"), triggerTopic: try TopicName("uploads-finalized"),
                    target: .startWorkflow(workflow: "on-upload")))
            _ = try await storage.createNotification(
                NotificationConfig(id: 0, topic: try TopicName("uploads-finalized"), eventTypes: [.objectFinalize]),
                bucket: "uploads")
        }

        /// Runs the emitter, the dispatcher and the scheduler until `body` returns.
        func running<T: Sendable>(
            runtimes: @escaping FunctionDispatcher.Runtimes = { _ in nil },
            checkpointInterval: Duration = .seconds(2),
            retryPolicy: RetryPolicy = RetryPolicy(minimumBackoffSeconds: 0, maximumBackoffSeconds: 0),
            dispatcherLog: (any EventLog)? = nil,
            _ body: @Sendable () async throws -> T
        ) async throws -> T {
            let logger = Logger(label: "test")
            let dispatcherLog = dispatcherLog ?? log
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await NotificationEmitter(log: log, pubsub: pubsub, logger: logger).run()
                }
                group.addTask {
                    try await FunctionDispatcher(
                        log: dispatcherLog, runner: runner, catalog: catalog, runtimes: runtimes,
                        retryPolicy: retryPolicy, checkpointInterval: checkpointInterval, logger: logger
                    ).run()
                }
                group.addTask { try await ExecutionScheduler(log: log, runner: runner, logger: logger).run() }
                let value = try await body()
                group.cancelAll()
                return value
            }
        }

        func count(_ type: String) async throws -> Int {
            try await log.query(EventQuery(types: [type], limit: 10_000)).events.count
        }

        func waitForEnding(_ id: ExecutionID) async throws -> ExecutionHistory {
            for _ in 0..<500 {
                let history = try await runner.history(of: id)
                if history.ending != nil { return history }
                try await Task.sleep(for: .milliseconds(10))
            }
            return try await runner.history(of: id)
        }
    }

    @Test("the execution receives the GCS notification and everything shares the upload's correlation id")
    func uploadStartsOneExecution() async throws {
        let pipeline = try Pipeline()
        try await pipeline.setUp()
        let history = try await pipeline.running {
            let object = try await pipeline.storage.upload(
                bucket: "uploads", object: "images/cat.png", bytes: Array(repeating: 7, count: 1_234),
                contentType: "image/png", metadata: EventMetadata(correlationID: "journey-1"))
            #expect(object.size == 1_234)
            // The topic stream holds its creation at version 1, so the first message is id "2".
            let id = ExecutionID.forMessage(subscription: "predict-uploads-finalized", messageID: "2")
            return try await pipeline.waitForEnding(id)
        }
        #expect(
            history.ending
                == .succeeded([
                    "name": "images/cat.png", "bucket": "uploads", "size": "1234", "eventType": "OBJECT_FINALIZE",
                ]))
        let journey = try await pipeline.log.query(EventQuery(correlationID: "journey-1", limit: 100)).events.map(
            \.type)
        #expect(journey.first == "object.finalized")
        #expect(journey.contains("message.published"))
        #expect(journey.contains("execution.started"))
        #expect(journey.contains("delivery.acked"))
        #expect(journey.last == "execution.succeeded" || journey.contains("execution.succeeded"))
    }

    @Test("restarting the pipeline publishes no message twice and starts no second execution")
    func restartIsExactlyOnce() async throws {
        let pipeline = try Pipeline()
        try await pipeline.setUp()
        try await pipeline.running {
            _ = try await pipeline.storage.upload(
                bucket: "uploads", object: "a.png", bytes: [1], metadata: EventMetadata(correlationID: "j"))
            _ = try await pipeline.storage.upload(
                bucket: "uploads", object: "b.png", bytes: [2], metadata: EventMetadata(correlationID: "k"))
            for _ in 0..<500 where try await pipeline.count("execution.succeeded") < 2 {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let before = (
            try await pipeline.count("message.published"), try await pipeline.count("execution.started"),
            try await pipeline.count("delivery.acked")
        )
        #expect(before == (2, 2, 2))
        try await pipeline.running { try await Task.sleep(for: .milliseconds(300)) }
        let after = (
            try await pipeline.count("message.published"), try await pipeline.count("execution.started"),
            try await pipeline.count("delivery.acked")
        )
        #expect(after == before)
    }

    @Test("objects uploaded before a notification config existed are not notified")
    func earlierObjectsAreNotNotified() async throws {
        let pipeline = try Pipeline()
        try await pipeline.storage.createBucket("uploads")
        try await pipeline.pubsub.createTopic("uploads-finalized")
        try await pipeline.storage.upload(bucket: "uploads", object: "early.png", bytes: [1])
        _ = try await pipeline.storage.createNotification(
            NotificationConfig(id: 0, topic: try TopicName("uploads-finalized")), bucket: "uploads")
        try await pipeline.running { try await Task.sleep(for: .milliseconds(200)) }
        #expect(try await pipeline.count("message.published") == 0)
    }

    @Test(
        "bad bucket and object names are refused before anything is stored",
        arguments: [
            ("UPPER", "ok.png"), ("ab", "ok.png"), ("goog-bucket", "ok.png"), ("192.168.1.1", "ok.png"),
            ("uploads", ""),
            ("uploads", "line\nbreak"), ("uploads", ".."),
        ])
    func badNamesAreRefused(_ bucket: String, _ object: String) async throws {
        let pipeline = try Pipeline()
        try await pipeline.storage.createBucket("uploads")
        let head = await pipeline.log.headPosition()
        await #expect(throws: SluiceError.self) {
            if bucket != "uploads" { try await pipeline.storage.createBucket(bucket) }
            try await pipeline.storage.upload(bucket: bucket, object: object, bytes: [1])
        }
        #expect(await pipeline.log.headPosition() == head)
    }
}
