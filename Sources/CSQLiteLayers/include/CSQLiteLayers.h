#ifndef SLUICE_CSQLITE_PAGE_CACHE_H
#define SLUICE_CSQLITE_PAGE_CACHE_H

/// Puts a thin layer over SQLite's own page cache that skips the whole-cache scan SQLite runs at
/// the end of nearly every write transaction on a database that reuses freed pages (see
/// PageCache.c). Effective only before SQLite initializes; returns SQLITE_OK when installed.
int sluice_sqlite3_install_tracked_page_cache(void);

/// Truncations SQLite's page cache would have walked its whole hash table for, and the layer
/// answered itself (for tests and diagnostics).
unsigned long long sluice_sqlite3_page_cache_scans_avoided(void);

#endif
