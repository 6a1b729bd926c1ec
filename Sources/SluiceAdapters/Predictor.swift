public import SluiceCore

/// One `:predict` call as a model backend receives it.
public struct PredictionRequest: Sendable, Hashable {
    /// The instances, one prediction each.
    public var instances: [JSONValue]
    /// Vertex AI's optional `parameters` object, passed through to backends that take it.
    public var parameters: JSONValue?
    /// Stable across retries and replays of the same workflow effect, so an outside model server
    /// can recognise a call it has already answered.
    public var idempotencyKey: String

    public init(instances: [JSONValue], parameters: JSONValue? = nil, idempotencyKey: String) {
        self.instances = instances
        self.parameters = parameters
        self.idempotencyKey = idempotencyKey
    }
}

/// A model that turns instances into predictions, as Vertex AI's `:predict` does
/// (`{"instances": [...]}` -> `{"predictions": [...]}`).
///
/// Contract for every implementation:
/// - `predict` MUST return exactly one prediction per instance, in the same order.
/// - A malformed instance MUST throw `invalidArgument` naming its index, never crash.
/// - A backend that may succeed later (a model server that is down) MUST throw a retryable code
///   (`unavailable`).
/// - `predict` MUST be safe to call concurrently.
public protocol Predictor: Sendable {
    /// Predicts one value per instance.
    func predict(instances: [JSONValue]) async throws(SluiceError) -> [JSONValue]

    /// Predicts for a whole request; backends that talk to an outside server use its parameters
    /// and idempotency key. By default the same as ``predict(instances:)``.
    func predict(_ request: PredictionRequest) async throws(SluiceError) -> [JSONValue]

    /// Whether predicting is a pure computation in this process (no server, no state), so the
    /// engine may perform it again after a crash instead of recording it before it runs.
    var isInProcess: Bool { get }
}

extension Predictor {
    /// Predictors are outside calls unless they say otherwise.
    public var isInProcess: Bool { false }

    public func predict(_ request: PredictionRequest) async throws(SluiceError) -> [JSONValue] {
        try await predict(instances: request.instances)
    }
}
