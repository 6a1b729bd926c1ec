public import ArgumentParser
import Foundation
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

    /// Syncs even a one-append commit on the syncer thread, so crash tests can kill a process
    /// between a commit and its fsync.
    @Option(help: ArgumentHelp("Appends in a batch that syncs off the writer thread (testing).", visibility: .hidden))
    var syncOffThreadFrom: Int?

    /// Opens the log with these options.
    func open() async throws -> SQLiteEventLog {
        try await Self.open(
            path: path, synchronous: synchronous, settleThreshold: settleThreshold,
            syncOffThreadFrom: syncOffThreadFrom)
    }

    /// Opens a log that must exist already: commands that only read refuse a path with no
    /// database instead of creating one (and its directory) there.
    func openExisting() async throws -> SQLiteEventLog {
        try requireExisting()
        return try await open()
    }

    /// Refuses a path with no database, for commands that only read the log or act on what is
    /// in it: a mistyped `--db` must fail, not check or list a new empty log and succeed.
    func requireExisting() throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no event log at \(path); give --db the database a server or a command wrote")
        }
    }

    /// Opens the log at `path` with the projections every command registers.
    static func open(
        path: String, synchronous: SQLiteEventLog.Configuration.Synchronous, settleThreshold: Int? = nil,
        syncOffThreadFrom: Int? = nil
    ) async throws -> SQLiteEventLog {
        var configuration = SQLiteEventLog.Configuration(path: path)
        configuration.synchronous = synchronous
        if let syncOffThreadFrom { configuration.offThreadSyncAppends = max(1, syncOffThreadFrom) }
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
