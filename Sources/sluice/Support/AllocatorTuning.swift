#if canImport(Glibc)
    import Glibc
#endif

/// Restarts the long-running commands once with glibc allocator tunables, which the dynamic
/// loader reads only from the environment at process start.
///
/// Swift concurrency runs a task's continuations on whichever pool thread is free, so memory is
/// routinely freed on another thread than the one that allocated it. glibc keeps only 7 freed
/// chunks per size in a thread's cache and sends the rest through its locked arena bins; a cache of
/// 2,000 cuts the pipeline benchmark's CPU per pipeline by 4-12% (paired runs of `sluice bench
/// pipeline`), for 10-15% more resident memory.
/// A `GLIBC_TUNABLES` the user set is left exactly as given, and so is the environment children
/// inherit: the restarted process removes the variables it added.
enum AllocatorTuning {
    static let tunables = "glibc.malloc.tcache_count=2000"
    static let commands: Set<String> = ["serve", "bench"]
    static let tunablesVariable = "GLIBC_TUNABLES"
    /// Marks the restarted process, so it restores the environment instead of restarting again.
    static let restartedVariable = "SLUICE_ALLOCATOR_TUNED"
    /// Set to any value to run with glibc's defaults.
    static let optOutVariable = "SLUICE_DEFAULT_ALLOCATOR"

    /// What to do at startup, decided from the arguments and environment alone.
    enum Decision: Equatable {
        case keep
        case restart(tunables: String)
        case restoreEnvironment
    }

    static func decide(arguments: [String], environment: [String: String]) -> Decision {
        if environment[restartedVariable] != nil { return .restoreEnvironment }
        guard arguments.count > 1, commands.contains(arguments[1]) else { return .keep }
        guard environment[tunablesVariable] == nil, environment[optOutVariable] == nil else { return .keep }
        return .restart(tunables: tunables)
    }

    /// Re-executes this binary with the tunables when `decide` says so; returns if it need not or
    /// cannot (the command then simply runs with the defaults).
    static func applyAtStartup() {
        #if canImport(Glibc)
            let environment = currentEnvironment()
            switch decide(arguments: CommandLine.arguments, environment: environment) {
            case .keep:
                return
            case .restoreEnvironment:
                unsetenv(tunablesVariable)
                unsetenv(restartedVariable)
            case .restart(let tunables):
                setenv(tunablesVariable, tunables, 1)
                setenv(restartedVariable, "1", 1)
                execv("/proc/self/exe", CommandLine.unsafeArgv)
                unsetenv(tunablesVariable)
                unsetenv(restartedVariable)
            }
        #endif
    }

    #if canImport(Glibc)
        private static func currentEnvironment() -> [String: String] {
            var result: [String: String] = [:]
            for name in [tunablesVariable, restartedVariable, optOutVariable] {
                if let value = getenv(name) { result[name] = String(cString: value) }
            }
            return result
        }
    #endif
}
