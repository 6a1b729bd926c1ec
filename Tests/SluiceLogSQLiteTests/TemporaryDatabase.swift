import Foundation
import SluiceLog
import SluiceLogSQLite

/// A fresh database file in its own temporary directory, removed when the test is done.
struct TemporaryDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("log.db").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func configuration(projections: [any Projection] = []) -> SQLiteEventLog.Configuration {
        var configuration = SQLiteEventLog.Configuration(path: path)
        configuration.projections = projections
        configuration.synchronous = .normal
        return configuration
    }

    func open(projections: [any Projection] = []) async throws -> SQLiteEventLog {
        try await SQLiteEventLog.open(configuration(projections: projections))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
