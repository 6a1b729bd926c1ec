public import ArgumentParser
import SluiceLog
public import SluiceLogSQLite

/// The options every command that opens the log shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "The SQLite database file of the event log.")
    var path: String = "./sluice-data/sluice.db"

    @Option(help: "Commit durability: full (fsync every commit) or normal.")
    var synchronous: SQLiteEventLog.Configuration.Synchronous = .full

    /// Settles every few events instead of every few thousand, so crash tests can kill a process
    /// in the middle of a settle.
    @Option(help: ArgumentHelp("Unsettled events that start a settle (testing).", visibility: .hidden))
    var settleThreshold: Int?

    /// Opens the log with these options.
    func open() async throws -> SQLiteEventLog {
        try await Self.open(path: path, synchronous: synchronous, settleThreshold: settleThreshold)
    }

    /// Opens the log at `path` with the projections every command registers.
    static func open(
        path: String, synchronous: SQLiteEventLog.Configuration.Synchronous, settleThreshold: Int? = nil
    ) async throws -> SQLiteEventLog {
        var configuration = SQLiteEventLog.Configuration(path: path)
        configuration.synchronous = synchronous
        if let settleThreshold {
            configuration.settling.threshold = max(1, settleThreshold)
            configuration.settling.roundEvents = max(1, settleThreshold)
            configuration.settling.stepEvents = max(1, min(configuration.settling.stepEvents, settleThreshold / 2))
        }
        configuration.projections = ProjectionCatalog.all
        configuration.logger = CommandLogging.logger(label: "sluice.log")
        return try await SQLiteEventLog.open(configuration)
    }
}

extension SQLiteEventLog.Configuration.Synchronous: ExpressibleByArgument {}
