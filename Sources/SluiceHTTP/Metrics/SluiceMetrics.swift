import CoreMetrics
public import Prometheus
import Synchronization

/// One Prometheus registry and the swift-metrics factory that writes to it. The serve command
/// makes one per process and bootstraps `MetricsSystem` with its factory; tests make their own
/// and pass the factory explicitly, so none of them depends on the global bootstrap.
public final class SluiceMetrics: Sendable {
    /// The registry `/metrics` emits.
    public let registry: PrometheusCollectorRegistry
    /// The factory every Sluice component reports through.
    public let factory: PrometheusMetricsFactory
    private let collectors = Mutex<[@Sendable () async -> Void]>([])

    /// A new registry, with histogram buckets chosen for requests (1 ms-10 s) and for
    /// executions and effects (up to an hour).
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let fast: [Duration] = [
            .milliseconds(1), .microseconds(2_500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2_500), .seconds(5), .seconds(10),
        ]
        let slow: [Duration] = fast + [.seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3_600)]
        factory.durationHistogramBuckets = [
            RequestMetrics.durationLabel: fast,
            "sluice_execution_duration_seconds": slow,
            "sluice_effect_duration_seconds": slow,
        ]
        self.factory = factory
    }

    /// Runs `collector` before each scrape, to bring gauges and counters read from elsewhere
    /// (the log's writer statistics) up to date.
    public func onScrape(_ collector: @escaping @Sendable () async -> Void) {
        collectors.withLock { $0.append(collector) }
    }

    /// The registry in Prometheus' text exposition format, after running the collectors.
    public func scrape() async -> String {
        for collector in collectors.withLock({ $0 }) { await collector() }
        return registry.emitToString()
    }
}
