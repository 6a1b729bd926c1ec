public import SluiceCore

/// A read model kept in SQL tables that the log updates in the same transaction as the appends
/// it reflects, so the model is never ahead of or behind the log.
///
/// Contract:
/// - `apply` MUST be a pure function of the events and the tables: replaying the whole log into
///   empty tables MUST produce exactly the tables incremental updates produced.
/// - `apply` MUST touch only the tables in `tables`, and MUST NOT read the clock.
/// - A thrown error rolls back the appends of the whole batch; throw only for broken invariants.
public protocol Projection: Sendable {
    /// A stable, unique name, such as `object_index`.
    var name: String { get }
    /// Bumped when `apply` or the tables change, which makes the log rebuild the projection.
    var schemaVersion: Int { get }
    /// The tables the projection owns; a rebuild empties them.
    var tables: [String] { get }
    /// Creates the tables if they do not exist yet.
    func createTables(in database: any ProjectionDatabase) throws(SluiceError)
    /// Updates the tables for events just appended, in position order.
    func apply(_ events: [RecordedEvent], in database: any ProjectionDatabase) throws(SluiceError)
}

/// The SQL a projection may run inside the log's write transaction.
public protocol ProjectionDatabase {
    /// Runs one statement with positional `?` arguments.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws(SluiceError)
    /// Runs one query with positional `?` arguments and returns every row.
    func rows(_ sql: String, _ arguments: [SQLValue]) throws(SluiceError) -> [[SQLValue]]
}

/// A value passed to or read from SQL.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}
