import Foundation
import SluiceAdaptersLocal
import SluiceLogSQLite
import SluiceResources

/// Storage, Pub/Sub and functions on the data directory: object bytes in `objects/` (and
/// uploads in progress in `tmp/`) beside the database.
struct ResourceContext {
    let log: SQLiteEventLog
    let storage: StorageService
    let pubsub: PubSubService
    let functions: FunctionsService

    static func dataDirectory(_ database: DatabaseOptions) -> String {
        URL(fileURLWithPath: database.path).deletingLastPathComponent().path
    }

    static func open(_ database: DatabaseOptions) async throws -> ResourceContext {
        let log = try await database.open()
        return try ResourceContext(log: log, dataDirectory: dataDirectory(database))
    }

    init(
        log: SQLiteEventLog, dataDirectory: String, inlineObjectBytes: Int = LocalObjectStore.defaultInlineLimit
    ) throws {
        self.log = log
        storage = StorageService(
            log: log, objects: try LocalObjectStore(directory: dataDirectory, inlineLimit: inlineObjectBytes))
        pubsub = PubSubService(log: log)
        functions = FunctionsService(log: log)
    }

    func closing<T>(_ body: () async throws -> T) async throws -> T {
        try await log.closing(after: body)
    }
}
