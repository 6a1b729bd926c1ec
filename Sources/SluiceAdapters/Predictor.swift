public import SluiceCore

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

    /// Whether predicting is a pure computation in this process (no server, no state), so the
    /// engine may perform it again after a crash instead of recording it before it runs.
    var isInProcess: Bool { get }
}

extension Predictor {
    /// Predictors are outside calls unless they say otherwise.
    public var isInProcess: Bool { false }
}
