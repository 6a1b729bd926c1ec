import OrderedCollections
public import SluiceWorkflows

/// Serves a Sluice model to a workflow the way Vertex AI would.
public protocol ModelEndpoints: Sendable {
    /// `body` is the `:predict` request (`{"instances": [...], "parameters": ...}`); the result is
    /// the PredictResponse body.
    func predict(model: String, body: WorkflowValue, idempotencyKey: String) async -> Result<
        WorkflowValue, GoogleAPIError
    >

    /// Whether the model's predictions are computed in this process with no outside effect.
    func isInProcess(model: String) async -> Bool
}

extension ModelEndpoints {
    /// Models are outside calls unless the endpoints say otherwise.
    public func isInProcess(model: String) async -> Bool { false }
}

/// Publishes to a Sluice topic the way Pub/Sub would; returns the message ids. The messages join
/// the journey `correlationID` names (the publishing execution's), when there is one.
public protocol TopicPublisher: Sendable {
    func publish(topic: String, messages: [WorkflowValue], idempotencyKey: String, correlationID: String?) async
        -> Result<[String], GoogleAPIError>
}

/// Routes Google API calls in workflows to Sluice's own resources, so a workflow written for
/// Google Cloud runs unchanged; everything that is not a Google API goes to `next`.
public struct GoogleEffectRouter: EffectPerformer {
    private let models: (any ModelEndpoints)?
    private let topics: (any TopicPublisher)?
    private let executions: ExecutionsConnector?
    private let storage: StorageConnector?
    private let next: any EffectPerformer

    public init(
        models: (any ModelEndpoints)?,
        topics: (any TopicPublisher)?,
        executions: ExecutionsConnector?,
        storage: StorageConnector? = nil,
        next: any EffectPerformer
    ) {
        self.models = models
        self.topics = topics
        self.executions = executions
        self.storage = storage
        self.next = next
    }

    public func perform(_ request: EffectRequest, context: EffectContext) async -> Result<WorkflowValue, WorkflowError>
    {
        switch GoogleRoute.classify(request) {
        case .notGoogle:
            return await next.perform(request, context: context)
        case .predict(let model, let body):
            guard let models else { return .failure(Self.unrouted("Vertex AI prediction", request)) }
            switch await models.predict(model: model, body: body, idempotencyKey: context.idempotencyKey) {
            case .success(let response):
                // An http.post gets {code, headers, body}; the connector gets the body itself.
                guard request.function.hasPrefix("http.") else { return .success(response) }
                return .success(
                    .object([
                        "code": 200, "headers": .object(["content-type": "application/json; charset=UTF-8"]),
                        "body": response,
                    ]))
            case .failure(let error):
                return .failure(error.workflowError)
            }
        case .publish(let topic, let messages):
            guard let topics else { return .failure(Self.unrouted("Pub/Sub publishing", request)) }
            switch await topics.publish(
                topic: topic, messages: messages, idempotencyKey: context.idempotencyKey,
                correlationID: context.correlationID)
            {
            case .success(let ids): return .success(.object(["messageIds": .list(ids.map(WorkflowValue.string))]))
            case .failure(let error): return .failure(error.workflowError)
            }
        case .storage(let method, let arguments):
            guard let storage else { return .failure(Self.unrouted("Cloud Storage", request)) }
            switch await storage.perform(
                method, arguments, idempotencyKey: context.idempotencyKey, correlationID: context.correlationID)
            {
            case .success(let value): return .success(value)
            case .failure(let error): return .failure(error.workflowError)
            }
        case .runExecution(let workflow, let argument):
            guard let executions else { return .failure(Self.unrouted("Workflow Executions", request)) }
            return await executions.run(workflow: workflow, argument: argument, context: context)
        case .createExecution(let workflow, let argument):
            guard let executions else { return .failure(Self.unrouted("Workflow Executions", request)) }
            return await executions.create(workflow: workflow, argument: argument, context: context)
        case .unrouted(let target):
            return .failure(
                GoogleAPIError.unimplemented(
                    "Sluice does not route \(target) to any local resource; route it in the Sluice configuration or call a Sluice resource"
                ).workflowError)
        }
    }

    public func plan(_ request: EffectRequest, context: EffectContext) async -> PlannedEffect? {
        switch GoogleRoute.classify(request) {
        case .notGoogle: return await next.plan(request, context: context)
        case .storage("insert", let arguments):
            return await storage?.planInsert(arguments, correlationID: context.correlationID)
        default: return nil
        }
    }

    public func isReplaySafe(_ request: EffectRequest) async -> Bool {
        switch GoogleRoute.classify(request) {
        case .notGoogle: return await next.isReplaySafe(request)
        case .predict(let model, _): return await models?.isInProcess(model: model) ?? true
        // Reads change nothing; an insert is keyed, so a second one returns the first's generation.
        case .storage(let method, _): return ["get", "list", "insert"].contains(method)
        default: return false
        }
    }

    private static func unrouted(_ service: String, _ request: EffectRequest) -> WorkflowError {
        GoogleAPIError.unimplemented("\(service) is not configured in this Sluice (\(request.function))").workflowError
    }
}
