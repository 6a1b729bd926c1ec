import CSQLite
import SluiceCore
import SluiceLog

/// A prepared statement, owned by the connection that prepared it (same thread rules).
final class SQLiteStatement {
    private let pointer: OpaquePointer
    private unowned let connection: SQLiteConnection
    let sql: String

    init(connection: SQLiteConnection, sql: String) throws(SluiceError) {
        var pointer: OpaquePointer?
        let code = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard code == SQLITE_OK, let pointer else {
            throw SQLiteConnection.error(code: code, message: connection.lastErrorMessage, context: "preparing SQL")
        }
        self.pointer = pointer
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(pointer) }

    /// Makes the statement ready to run again and drops its bindings.
    func reset() {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
    }

    /// Makes the statement ready to run again and keeps its bindings: for hot loops that bind
    /// every parameter each time, where clearing them first is wasted work.
    func rewind() {
        sqlite3_reset(pointer)
    }

    /// Binds positional arguments starting at parameter 1.
    func bind(_ arguments: [SQLiteArgument]) throws(SluiceError) {
        for (offset, argument) in arguments.enumerated() {
            try bind(argument, at: Int32(offset + 1))
        }
    }

    /// Binds one argument to the parameter at `index` (1-based).
    func bind(_ argument: SQLiteArgument, at index: Int32) throws(SluiceError) {
        let code: Int32
        switch argument {
        case .null: code = sqlite3_bind_null(pointer, index)
        case .integer(let value): code = sqlite3_bind_int64(pointer, index, value)
        case .real(let value): code = sqlite3_bind_double(pointer, index, value)
        case .text(let value): code = bindText(value, at: index)
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob(pointer, index, raw.baseAddress, Int32(raw.count), sqliteTransient)
            }
        }
        guard code == SQLITE_OK else {
            throw SQLiteConnection.error(
                code: code, message: connection.lastErrorMessage, context: "binding a parameter")
        }
    }

    /// Binds an integer without wrapping it in an argument enum (the append hot path).
    func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(pointer, index, value)
    }

    /// Binds text (or NULL) without wrapping it (the append hot path).
    func bind(_ value: String?, at index: Int32) {
        guard let value else {
            sqlite3_bind_null(pointer, index)
            return
        }
        _ = bindText(value, at: index)
    }

    /// Binds text by its byte count, never up to a NUL: a name holding one (`stack/x\0`) must not
    /// be read as the name before it (`stack/x`).
    private func bindText(_ value: String, at index: Int32) -> Int32 {
        var text = value
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(pointer, index, "", 0, sqliteTransient) }
            return sqlite3_bind_text(pointer, index, base, Int32(bytes.count), sqliteTransient)
        }
    }

    /// Binds an integer or NULL without wrapping it (the append hot path).
    func bind(_ value: Int64?, at index: Int32) {
        guard let value else {
            sqlite3_bind_null(pointer, index)
            return
        }
        sqlite3_bind_int64(pointer, index, value)
    }

    /// Binds raw bytes (the append hot path).
    func bind(bytes: UnsafeRawBufferPointer, at index: Int32) {
        sqlite3_bind_blob(pointer, index, bytes.baseAddress, Int32(bytes.count), sqliteTransient)
    }

    /// Runs one step: true when a row is available, false when the statement is done.
    @discardableResult
    func step() throws(SluiceError) -> Bool {
        let code = sqlite3_step(pointer)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw SQLiteConnection.error(code: code, message: connection.lastErrorMessage, context: "running SQL")
        }
    }

    /// Steps through every row, calling `body` for each.
    func forEachRow(_ body: (SQLiteStatement) throws(SluiceError) -> Void) throws(SluiceError) {
        while try step() { try body(self) }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(pointer, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(pointer, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(pointer, column) }
    var columnCount: Int32 { sqlite3_column_count(pointer) }
    func columnType(_ column: Int32) -> Int32 { sqlite3_column_type(pointer, column) }

    /// The column as text; NULL reads as nil.
    ///
    /// Read through `sqlite3_column_blob`, which hands out a text value's bytes where they lie;
    /// `sqlite3_column_text` must NUL-terminate them first, and for a value read from a page
    /// that means a malloc and a copy per column per row.
    func text(_ column: Int32) -> String? {
        guard let raw = sqlite3_column_blob(pointer, column) else {
            // No pointer for both NULL and a zero-length value.
            return sqlite3_column_type(pointer, column) == SQLITE_NULL ? nil : ""
        }
        let count = Int(sqlite3_column_bytes(pointer, column))
        return String(decoding: UnsafeRawBufferPointer(start: raw, count: count), as: UTF8.self)
    }

    /// The column's bytes, handed to `body` without copying.
    func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let raw = sqlite3_column_blob(pointer, column)
        let count = Int(sqlite3_column_bytes(pointer, column))
        return body(UnsafeRawBufferPointer(start: raw, count: count))
    }

    /// The column as a value, for reading a text or nullable column with one column lookup.
    func columnValue(_ column: Int32) -> SQLiteColumnValue { SQLiteColumnValue(sqlite3_column_value(pointer, column)) }

    /// The column's bytes as an array.
    func blob(_ column: Int32) -> [UInt8] { withBlob(column) { Array($0) } }
}

/// Tells SQLite to copy bound values, since Swift may free them right after binding.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension SQLiteStatement {
    /// The column as a typed SQL value.
    func value(_ column: Int32) -> SQLValue {
        switch columnType(column) {
        case SQLITE_INTEGER: .integer(int64(column))
        case SQLITE_FLOAT: .real(double(column))
        case SQLITE_TEXT: .text(text(column) ?? "")
        case SQLITE_BLOB: .blob(blob(column))
        default: .null
        }
    }
}
