import CSQLiteLayers

/// The layer over SQLite's page cache that answers a commit's truncation itself when no page
/// past the database's end can be cached (Sources/CSQLiteLayers/PageCache.c says why).
enum PageCacheLayer {
    /// Installs the layer; only before SQLite initializes, so once per process, before the first
    /// connection opens. Returns whether it is in place.
    static func install() -> Bool {
        sluice_sqlite3_install_tracked_page_cache() == 0
    }

    /// Truncations SQLite's cache would have walked its hash table for, across the process.
    static var scansAvoided: UInt64 { UInt64(sluice_sqlite3_page_cache_scans_avoided()) }
}
