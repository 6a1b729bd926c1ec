#ifndef SLUICE_CSQLITE_LAYERS_H
#define SLUICE_CSQLITE_LAYERS_H

/// Puts a thin layer over SQLite's own page cache that skips the whole-cache scan SQLite runs at
/// the end of nearly every write transaction on a database that reuses freed pages (see
/// PageCache.c). Effective only before SQLite initializes; returns SQLITE_OK when installed.
int sluice_sqlite3_install_tracked_page_cache(void);

/// Truncations SQLite's page cache would have walked its whole hash table for, and the layer
/// answered itself (for tests and diagnostics).
unsigned long long sluice_sqlite3_page_cache_scans_avoided(void);

/// Registers a VFS over the platform's own that writes a connection's WAL frames out up to 30 at
/// a time instead of in two writes each (see WALWriteBuffer.c). Returns its name, or NULL when the
/// platform's VFS is not one it can layer over.
const char *sluice_sqlite3_register_wal_write_buffer(void);

/// The WAL writes SQLite asked a connection's buffered WAL file for, and the writes the buffer
/// made of them (for tests and diagnostics); `db` is the connection's `sqlite3 *`. Returns 0 when
/// the connection's WAL is not buffered.
int sluice_sqlite3_wal_write_counts(void *db, unsigned long long *asked, unsigned long long *made);

#endif
