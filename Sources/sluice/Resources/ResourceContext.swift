import Foundation
import SluiceAdaptersLocal
import SluiceLogSQLite
import SluiceResources

/// Buckets and topics on the data directory: objects in `objects/` beside the database.
struct ResourceContext {
    let log: SQLiteEventLog
    let buckets: Buckets
    let topics: Topics

    static func objectsRoot(_ database: DatabaseOptions) -> String {
        URL(fileURLWithPath: database.path).deletingLastPathComponent().appendingPathComponent("objects").path
    }

    static func open(_ database: DatabaseOptions) async throws -> ResourceContext {
        let objects = try LocalObjectStore(root: objectsRoot(database))
        let log = try await database.open()
        return ResourceContext(log: log, buckets: Buckets(log: log, objects: objects), topics: Topics(log: log))
    }

    func closing<T>(_ body: () async throws -> T) async throws -> T {
        try await log.closing(after: body)
    }
}
