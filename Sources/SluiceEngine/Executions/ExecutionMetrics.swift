public import CoreMetrics
import SluiceWorkflows

/// What the engine reports about executions and effects, through swift-metrics. The factory is
/// injected so a test can read its own registry instead of fighting over the global bootstrap.
public struct ExecutionMetrics: Sendable {
    /// `sluice_executions_started_total`: executions this process recorded as started.
    public static let startedLabel = "sluice_executions_started_total"
    /// `sluice_executions_finished_total{state}`: executions this process ended.
    public static let finishedLabel = "sluice_executions_finished_total"
    /// `sluice_execution_duration_seconds{state}`: from `execution.started` to the ending.
    public static let durationLabel = "sluice_execution_duration_seconds"
    /// `sluice_effect_duration_seconds{function,outcome}`: one live performance of an effect.
    public static let effectDurationLabel = "sluice_effect_duration_seconds"

    private let factory: any MetricsFactory

    /// Reports to `factory`; the default is whatever `MetricsSystem` was bootstrapped with.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    func started() {
        Counter(label: Self.startedLabel, factory: factory).increment()
    }

    /// `microseconds` is the time from the start event to the ending.
    func finished(_ ending: ExecutionHistory.Ending, microseconds: Int64) {
        let state: String
        switch ending {
        case .succeeded: state = "succeeded"
        case .failed: state = "failed"
        case .cancelled: state = "cancelled"
        }
        Counter(label: Self.finishedLabel, dimensions: [("state", state)], factory: factory).increment()
        CoreMetrics.Timer(label: Self.durationLabel, dimensions: [("state", state)], factory: factory)
            .recordMicroseconds(max(0, microseconds))
    }

    func effect(function: String, result: Result<WorkflowValue, WorkflowError>, elapsed: Duration) {
        let outcome: String
        switch result {
        case .success: outcome = "ok"
        case .failure: outcome = "error"
        }
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        CoreMetrics.Timer(
            label: Self.effectDurationLabel, dimensions: [("function", function), ("outcome", outcome)],
            factory: factory
        ).recordNanoseconds(nanoseconds)
    }
}
