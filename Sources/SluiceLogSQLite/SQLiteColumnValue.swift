import CSQLite

/// One column of a statement's current row, read through `sqlite3_column_value`.
///
/// Each `sqlite3_column_*` call looks the column up again and runs SQLite's API bookkeeping;
/// reading a text or nullable column that way takes two such calls (its bytes, then its length or
/// type). The value's own accessors skip that, which saves a fifth of a long stream read's column
/// work. Valid only until the statement steps or resets, so it never leaves the decoding code.
struct SQLiteColumnValue {
    private let pointer: OpaquePointer?

    init(_ pointer: OpaquePointer?) { self.pointer = pointer }

    var isNull: Bool { sqlite3_value_type(pointer) == SQLITE_NULL }
    var int64: Int64 { sqlite3_value_int64(pointer) }

    /// The value as text; NULL reads as nil. Read as a blob, which hands out a text value's bytes
    /// where they lie instead of NUL-terminating a copy.
    var text: String? {
        guard let raw = sqlite3_value_blob(pointer) else {
            return isNull ? nil : ""
        }
        let count = Int(sqlite3_value_bytes(pointer))
        return String(decoding: UnsafeRawBufferPointer(start: raw, count: count), as: UTF8.self)
    }

    /// The value's bytes, handed to `body` without copying.
    func withBlob<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
        let raw = sqlite3_value_blob(pointer)
        let count = Int(sqlite3_value_bytes(pointer))
        return body(UnsafeRawBufferPointer(start: raw, count: count))
    }
}
