public import Logging
public import SluiceLog

extension SQLiteEventLog {
    /// How the SQLite log is opened. Every field has a default suited to production.
    public struct Configuration: Sendable {
        /// How hard each commit pushes data to disk.
        public enum Synchronous: String, Sendable, CaseIterable {
            /// fsync on every commit: a crash or power loss loses nothing acknowledged (the default).
            case full
            /// fsync at checkpoints: a power loss may lose the last commits; a process crash loses nothing.
            case normal
        }

        /// The database file; its directory is created when missing.
        public var path: String
        /// The durability level of commits (`synchronous` pragma).
        public var synchronous: Synchronous = .full
        /// Read connections beside the writer.
        public var readerCount: Int = 2
        /// Read models updated in the append transaction.
        public var projections: [any Projection] = []
        /// Microseconds since the Unix epoch; injected so tests control time.
        public var now: @Sendable () -> Int64 = WallClock.microsecondsSinceEpoch
        /// WAL pages after which a commit checkpoints the WAL into the database.
        public var walAutocheckpointPages: Int = 8_192
        /// Page cache of the writer connection, in KiB.
        public var writerCacheKiB: Int = 131_072
        /// Where the log reports what it does.
        public var logger = Logger(label: "sluice.log")

        /// A configuration for the file at `path` with every other field at its default.
        public init(path: String) {
            self.path = path
        }
    }
}
