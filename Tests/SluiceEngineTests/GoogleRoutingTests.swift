import OrderedCollections
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import SluiceWorkflows
import Testing

@Suite("Google API calls in a workflow reach Sluice's own resources unchanged")
struct GoogleRoutingTests {
    private func request(_ function: String, _ arguments: OrderedDictionary<String, WorkflowValue>) -> EffectRequest {
        EffectRequest(
            id: "e1", function: function, arguments: arguments, routine: "main", step: "s", isRetryBackoff: false)
    }

    @Test(
        "a Vertex AI predict URL names the Sluice model",
        arguments: [
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/digits:predict",
            "https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/europe-west4/models/digits:predict",
        ])
    func predictURLsRouteToTheModel(_ url: String) {
        let route = GoogleRoute.classify(request("http.post", ["url": .string(url), "body": ["instances": [[1, 2]]]]))
        #expect(route == .predict(model: "digits", body: ["instances": [[1, 2]]]))
    }

    @Test("other Google URLs are unrouted and other hosts are not Google at all")
    func otherURLs() {
        #expect(
            GoogleRoute.classify(request("http.get", ["url": "https://bigquery.googleapis.com/bigquery/v2/projects/p"]))
                == .unrouted("https://bigquery.googleapis.com/bigquery/v2/projects/p"))
        #expect(GoogleRoute.classify(request("http.get", ["url": "https://example.com/googleapis.com"])) == .notGoogle)
        #expect(GoogleRoute.classify(request("sys.sleep", ["seconds": 1])) == .notGoogle)
    }

    @Test("a workflow's publish joins the execution's journey: the message carries its correlation id")
    func publishCarriesTheExecutionsCorrelation() async throws {
        let log = MemoryEventLog()
        let pubsub = PubSubService(log: log)
        try await pubsub.createTopic("results")
        let router = GoogleEffectRouter(
            models: nil, topics: PubSubTopicPublisher(pubsub: pubsub), executions: nil, next: UnroutedEffectPerformer())
        let context = EffectContext(
            executionID: "run-1", workflow: "w", revision: 1, idempotencyKey: "run-1/e1", requestedAt: 0,
            correlationID: "journey-9")
        let result = await router.perform(
            request(
                "googleapis.pubsub.v1.projects.topics.publish",
                ["topic": "projects/p/topics/results", "body": ["messages": [["data": "eA=="]]]]),
            context: context)
        #expect(try result.get()["messageIds"]?.listValue?.count == 1)
        let published = try await log.query(EventQuery(types: ["message.published"], limit: 10)).events
        #expect(published.map(\.metadata.correlationID) == ["journey-9"])
    }

    @Test("the connectors for prediction, publishing and executions are recognised")
    func connectorsAreRecognised() {
        #expect(
            GoogleRoute.classify(
                request(
                    "googleapis.aiplatform.v1.projects.locations.endpoints.predict",
                    ["endpoint": "projects/p/locations/l/endpoints/digits", "body": ["instances": []]]))
                == .predict(model: "digits", body: ["instances": []]))
        #expect(
            GoogleRoute.classify(
                request(
                    "googleapis.pubsub.v1.projects.topics.publish",
                    ["topic": "projects/p/topics/results", "body": ["messages": [["data": "eA=="]]]]))
                == .publish(topic: "results", messages: [["data": "eA=="]]))
        #expect(
            GoogleRoute.classify(
                request(
                    "googleapis.workflowexecutions.v1.projects.locations.workflows.executions.create",
                    ["parent": "projects/p/locations/l/workflows/child", "body": ["argument": #"{"n": 1}"#]]))
                == .createExecution(workflow: "child", argument: ["n": 1]))
    }

    @Test("a predict call gets the model's answer as an HTTP response, and a model error as HttpError")
    func predictThroughTheRouter() async throws {
        let models = CountingModels()
        let router = GoogleEffectRouter(models: models, topics: nil, executions: nil, next: UnroutedEffectPerformer())
        let url =
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/digits:predict"
        let context = EffectContext(
            executionID: "x", workflow: "w", revision: 1, idempotencyKey: "x/e1", requestedAt: 0)
        let answer = await router.perform(
            request("http.post", ["url": .string(url), "body": ["instances": [[3]]]]), context: context)
        #expect(try answer.get()["body"]?["predictions"] == [["label": 3]])
        #expect(try answer.get()["code"] == 200)
        #expect(await models.keys == ["x/e1"])

        let broken =
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/missing:predict"
        let failure = await router.perform(request("http.post", ["url": .string(broken)]), context: context)
        guard case .failure(let error) = failure else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.tags == ["HttpError"])
        #expect(error.code == 404)
        #expect(error.value["body"]?["error"]?["status"] == "NOT_FOUND")
    }

    @Test("an unrouted Google URL fails with a message naming it")
    func unroutedGoogleURLFailsClearly() async {
        let router = GoogleEffectRouter(models: nil, topics: nil, executions: nil, next: UnroutedEffectPerformer())
        let context = EffectContext(
            executionID: "x", workflow: "w", revision: 1, idempotencyKey: "x/e1", requestedAt: 0)
        let result = await router.perform(
            request("http.get", ["url": "https://translate.googleapis.com/v3/x"]), context: context)
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == 501)
        #expect(
            error.value["body"]?["error"]?["message"]?.stringValue?.contains("https://translate.googleapis.com/v3/x")
                == true)
    }

    @Test("executions.run starts one child per calling effect and returns its result")
    func executionsRunStartsOneChild() async throws {
        let log = MemoryEventLog()
        let catalog = WorkflowCatalog(log: log)
        try await catalog.deploy(
            name: "double", source: "main:\n  params: [args]\n  steps:\n    - r:\n        return: ${args.n * 2}\n")
        try await catalog.deploy(
            name: "parent",
            source: """
                - call:
                    call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run
                    args:
                      workflow_id: double
                      argument:
                        n: 21
                    result: child
                - done:
                    return: ${child}
                """)
        let (router, runner) = Self.executionsRouting(log: log, catalog: catalog)
        let parent = try ExecutionID("parent-1")
        try await runner.start(parent, ExecutionStart(workflow: "parent", revision: 1, argument: .null))
        let outcome = try await runner.run(parent)
        #expect(outcome.result == 42)

        let context = EffectContext(
            executionID: "parent-1", workflow: "parent", revision: 1, idempotencyKey: "parent-1/e1", requestedAt: 0)
        let again = await router.perform(
            request(
                "googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run",
                ["workflow_id": "double", "argument": ["n": 21]]),
            context: context)
        #expect(try again.get() == 42)
        let children = try await log.query(
            EventQuery(streamPrefix: "execution/child-", types: ["execution.started"], limit: 10))
        #expect(children.events.count == 1)
    }
}

extension GoogleRoutingTests {
    /// A runner whose Google calls go to the executions connector, which runs children on it.
    static func executionsRouting(log: MemoryEventLog, catalog: WorkflowCatalog) -> (
        router: GoogleEffectRouter, runner: ExecutionRunner
    ) {
        let late = LateRunner()
        let router = GoogleEffectRouter(
            models: nil, topics: nil, executions: ExecutionsConnector(runners: late, catalog: catalog),
            next: UnroutedEffectPerformer())
        let runner = ExecutionRunner(log: log, catalog: catalog, performer: router)
        late.set(runner)
        return (router, runner)
    }

    @Test("a workflow that runs itself through executions.run stops at the nesting limit with a ResourceLimitError")
    func selfRunningWorkflowStopsAtTheNestingLimit() async throws {
        let log = MemoryEventLog()
        let catalog = WorkflowCatalog(log: log)
        try await catalog.deploy(
            name: "again",
            source: """
                - call:
                    call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run
                    args:
                      workflow_id: again
                    result: child
                - done:
                    return: ${child}
                """)
        let runner = Self.executionsRouting(log: log, catalog: catalog).runner
        let root = try ExecutionID("root")
        try await runner.start(root, ExecutionStart(workflow: "again", revision: 1, argument: .null))
        let outcome = try await runner.run(root)
        guard case .failed(let error) = outcome.ending else {
            Issue.record("the execution ended \(outcome.ending)")
            return
        }
        #expect(error.tags == ["ResourceLimitError"])
        let children = try await log.query(
            EventQuery(streamPrefix: "execution/child-", types: ["execution.started"], limit: 1_000))
        #expect(children.events.count == ExecutionsConnector.maximumRunNesting)
    }
}

/// A model server that knows one model, `digits`, and remembers the keys it was called with.
actor CountingModels: ModelEndpoints {
    private(set) var keys: [String] = []

    nonisolated func predict(model: String, body: WorkflowValue, idempotencyKey: String) async -> Result<
        WorkflowValue, GoogleAPIError
    > {
        await record(model: model, body: body, key: idempotencyKey)
    }

    private func record(model: String, body: WorkflowValue, key: String) -> Result<WorkflowValue, GoogleAPIError> {
        guard model == "digits" else { return .failure(.notFound("model \(model) is not deployed")) }
        keys.append(key)
        let instances = body["instances"]?.listValue ?? []
        return .success(["predictions": .list(instances.map { ["label": $0.listValue?.first ?? .null] })])
    }
}
