import Foundation

/// CPU time this process has used on all its threads, user and system. Benchmarks report it per
/// pipeline, which tells two kinds of slow run apart: one where each pipeline took more CPU (more
/// work, or a machine that runs slower, as this VM does for minutes at a time) and one where the
/// process waited (for the disk, a lock, or a CPU it did not get).
enum ProcessCPUTime {
    static var now: Duration {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return .zero }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }

    private static func duration(_ time: timeval) -> Duration {
        .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
    }
}
