import CSQLite
import SluiceCore

/// One SQLite connection with a statement cache.
///
/// Not thread-safe: each connection is owned by exactly one thread (the writer thread or one
/// reader queue), which is what makes it safe to hand around as `@unchecked Sendable`.
final class SQLiteConnection: @unchecked Sendable {
    let handle: OpaquePointer
    let path: String
    private var cache: [String: SQLiteStatement] = [:]
    /// Interned ids (stream, type, correlation) a read-only connection has looked up, by lookup
    /// and value. An id never changes once committed, and a reader sees only committed ones.
    private var internedIDs: [InternedKey: Int64] = [:]
    private let readOnly: Bool

    private struct InternedKey: Hashable {
        var lookup: String
        var value: String
    }

    /// The most interned ids kept before the cache starts over.
    static let internedIDLimit = 65_536

    /// Process-wide SQLite settings, applied once before the first connection opens (SQLite takes
    /// them only before it initializes); the name of the VFS writing connections open through.
    static let writingVFS: String? = {
        _ = sluice_sqlite3_disable_memory_statistics()
        _ = PageCacheLayer.install()
        // Registering a VFS initializes SQLite, so it comes after the settings above.
        return WALWriteBuffer.register()
    }()

    /// Opens (and for the writer, creates) the database file at `path`. A connection that writes
    /// gathers its WAL writes, up to 30 frames a write (``WALWriteBuffer``) unless `plainWrites`.
    init(path: String, readOnly: Bool, plainWrites: Bool = false) throws(SluiceError) {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let vfs = Self.writingVFS.flatMap { readOnly || plainWrites ? nil : $0 }
        let code = sqlite3_open_v2(path, &handle, flags, vfs)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw SQLiteConnection.error(code: code, message: message, context: "opening \(path)")
        }
        self.handle = handle
        self.path = path
        self.readOnly = readOnly
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 5_000)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no arguments and return nothing needed.
    func execute(_ sql: String) throws(SluiceError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw SQLiteConnection.error(code: code, message: message, context: "running SQL")
        }
    }

    /// A prepared statement for `sql`, reused across calls; it is reset and unbound before it is returned.
    func statement(_ sql: String) throws(SluiceError) -> SQLiteStatement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        let statement = try SQLiteStatement(connection: self, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// The interned id `lookup` (a query with one text argument) finds for `value`; cached on a
    /// read-only connection, where it cannot come from a transaction that later rolls back.
    func internedID(_ lookup: String, _ value: String) throws(SluiceError) -> Int64? {
        let key = InternedKey(lookup: lookup, value: value)
        if let id = internedIDs[key] { return id }
        guard let id = try scalarInteger(lookup, [.text(value)]) else { return nil }
        if readOnly {
            if internedIDs.count >= Self.internedIDLimit { internedIDs.removeAll(keepingCapacity: true) }
            internedIDs[key] = id
        }
        return id
    }

    /// The first column of the first row of a query, as an integer; nil when there is no row.
    func scalarInteger(_ sql: String, _ arguments: [SQLiteArgument] = []) throws(SluiceError) -> Int64? {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    /// The text of the most recent error on this connection.
    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Pages this connection has written to the WAL since it opened: what its commits cost the
    /// disk, before the checkpoint copies them again.
    var walPagesWritten: Int {
        var current: Int32 = 0
        var highest: Int32 = 0
        _ = sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_WRITE, &current, &highest, 0)
        return Int(current)
    }

    /// The rowid of this connection's last successful INSERT.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Maps an SQLite result code to the error a user can act on.
    static func error(code: Int32, message: String, context: String) -> SluiceError {
        let primary = code & 0xFF
        switch primary {
        case SQLITE_NOTADB:
            return SluiceError(.corruptStore, "\(context): the file is not a Sluice database (\(message))")
        case SQLITE_CORRUPT:
            return SluiceError(
                .corruptStore, "\(context): the database file is corrupt (\(message)); restore it from a backup")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return SluiceError(.unavailable, "\(context): the database is busy (\(message))")
        case SQLITE_FULL:
            return SluiceError(.storageFailure, "\(context): the disk is full (\(message))")
        case SQLITE_CANTOPEN:
            return SluiceError(
                .storageFailure,
                "\(context): cannot open the database file (\(message)); check the path and permissions")
        case SQLITE_READONLY:
            return SluiceError(.storageFailure, "\(context): the database is read-only (\(message))")
        case SQLITE_CONSTRAINT:
            return SluiceError(.failedPrecondition, "\(context): a constraint failed (\(message))")
        case SQLITE_IOERR:
            return SluiceError(.storageFailure, "\(context): an I/O error (\(message))")
        default:
            return SluiceError(.storageFailure, "\(context): SQLite error \(code) (\(message))")
        }
    }
}

/// A value bound to a statement parameter.
enum SQLiteArgument {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}
