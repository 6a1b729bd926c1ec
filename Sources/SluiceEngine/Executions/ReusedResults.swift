import OrderedCollections
import SluiceWorkflows

/// The recorded effect results of a failed execution that a replay may reuse: a prefix of them,
/// as long as the new run asks for the same effect (function and arguments, by effect id) and
/// has not reached the step the user wants run live.
struct ReusedResults: Sendable {
    let source: String
    private let history: ExecutionHistory
    private let liveFromStep: String?
    private(set) var diverged = false

    init(source: String, history: ExecutionHistory, liveFromStep: String?) {
        self.source = source
        self.history = history
        self.liveFromStep = liveFromStep
    }

    /// Marks the point from which everything runs live, once the run starts that step.
    mutating func observe(steps: [StepProgress]) {
        guard let liveFromStep, !diverged else { return }
        if steps.contains(where: { $0.step == liveFromStep }) { diverged = true }
    }

    /// The recorded result for `request`, or nil, after which nothing more is reused.
    mutating func take(_ request: EffectRequest) -> WorkflowValue? {
        guard !diverged else { return nil }
        guard let recorded = history.requested[request.id], recorded.function == request.function,
            recorded.arguments == .map(request.arguments), case .success(let value)? = history.results[request.id]
        else {
            diverged = true
            return nil
        }
        return value
    }
}
