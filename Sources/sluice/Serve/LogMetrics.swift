import CoreMetrics
import SluiceLogSQLite
import Synchronization

/// Mirrors the SQLite writer's statistics into metrics on every scrape: counters grow by what
/// the statistics grew since the last scrape, gauges take their current value.
final class LogMetrics: Sendable {
    private let log: SQLiteEventLog
    private let factory: any MetricsFactory
    private let previous = Mutex<WriterStatistics.Snapshot?>(nil)

    init(log: SQLiteEventLog, factory: any MetricsFactory) {
        self.log = log
        self.factory = factory
    }

    func collect() async {
        // Read under the lock, so two scrapes at once never see the counters go backwards.
        let (before, now) = previous.withLock { previous in
            let now = log.statistics.snapshot
            defer { previous = now }
            return (previous, now)
        }
        Counter(label: "sluice_log_commits_total", factory: factory)
            .increment(by: now.commits - (before?.commits ?? 0))
        Counter(label: "sluice_log_appends_total", factory: factory)
            .increment(by: now.appends - (before?.appends ?? 0))
        Counter(label: "sluice_log_events_total", factory: factory).increment(by: now.events - (before?.events ?? 0))
        FloatingPointCounter(label: "sluice_log_commit_seconds_total", factory: factory)
            .increment(by: Double(now.commitNanoseconds - (before?.commitNanoseconds ?? 0)) / 1e9)
        Gauge(label: "sluice_log_largest_batch_appends", factory: factory).record(now.largestBatch)
        Gauge(label: "sluice_log_mean_batch_appends", factory: factory).record(now.meanBatch)
        if let head = try? await log.headPosition() {
            Gauge(label: "sluice_log_head_position", factory: factory).record(head)
        }
    }
}
