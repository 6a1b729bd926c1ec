/// One numbered schema change, embedded in the binary so Sluice runs from any directory.
struct Migration: Sendable {
    /// The number in the file name; migrations apply in this order.
    let version: Int
    /// The rest of the file name, for the migrations table.
    let name: String
    /// The SQL to run.
    let sql: String
}

/// The SQL files of `Migrations/`, in order. A test checks this list against the folder.
enum EmbeddedMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "event_log", sql: String(decoding: PackageResources._001_event_log_sql, as: UTF8.self)),
        Migration(
            version: 2, name: "log_tiers", sql: String(decoding: PackageResources._002_log_tiers_sql, as: UTF8.self)),
        Migration(
            version: 3, name: "settled_rowid",
            sql: String(decoding: PackageResources._003_settled_rowid_sql, as: UTF8.self)),
        Migration(
            version: 4, name: "recent_by_bucket",
            sql: String(decoding: PackageResources._004_recent_by_bucket_sql, as: UTF8.self)),
        Migration(
            version: 5, name: "recent_pair",
            sql: String(decoding: PackageResources._005_recent_pair_sql, as: UTF8.self)),
    ]

    /// The newest schema this binary knows.
    static var latestVersion: Int { all.last?.version ?? 0 }
}
