import Foundation
import SluiceLog
import SluiceLogSQLite
import SluiceTesting

/// A fresh database file in its own temporary directory, removed when the test is done.
struct TemporaryDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("log.db").path }

    init() throws {
        directory = ScratchSpace.url("sluice-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func configuration(
        projections: [any Projection] = [],
        settling: SQLiteEventLog.Configuration.Settling = .init(),
        synchronous: SQLiteEventLog.Configuration.Synchronous = .normal
    ) -> SQLiteEventLog.Configuration {
        var configuration = SQLiteEventLog.Configuration(path: path)
        configuration.projections = projections
        configuration.synchronous = synchronous
        configuration.settling = settling
        return configuration
    }

    func open(
        projections: [any Projection] = [],
        settling: SQLiteEventLog.Configuration.Settling = .init(),
        synchronous: SQLiteEventLog.Configuration.Synchronous = .normal
    ) async throws -> SQLiteEventLog {
        try await SQLiteEventLog.open(
            configuration(projections: projections, settling: settling, synchronous: synchronous))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

extension SQLiteEventLog.Configuration.Settling {
    /// Settles only when a test asks, in rounds of `round` events and steps of `step`.
    static func manual(round: Int = 40, step: Int = 7) -> Self {
        var settling = Self()
        settling.threshold = Int.max
        settling.roundEvents = round
        settling.stepEvents = step
        settling.idleDelay = .seconds(3_600)
        return settling
    }

    /// Settles after every commit, in rounds and steps of one event.
    static var eager: Self {
        var settling = Self()
        settling.threshold = 1
        settling.roundEvents = 1
        settling.stepEvents = 1
        settling.idleDelay = .zero
        return settling
    }
}
