#include <sqlite3.h>

/// Turns off SQLite's memory statistics. With them on (the default), every allocation and free
/// inside SQLite takes one process-wide mutex, so the writer and the readers contend on it and
/// wake each other through the kernel; nothing in Sluice reads the statistics. sqlite3_config
/// is variadic, which Swift cannot call. Effective only before SQLite initializes; afterwards it
/// returns SQLITE_MISUSE and changes nothing.
static inline int sluice_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
