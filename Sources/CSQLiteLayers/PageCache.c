// A layer over SQLite's default page cache (pcache1) that keeps one extra fact per cache: an
// upper bound on the page numbers it holds. With it, the layer answers most truncations itself.
//
// Why: when a b-tree balance gives its new pages numbers out of ascending order (which it does
// whenever they come off the freelist out of order, as they do in a log whose recent tables are
// emptied and refilled), SQLite swaps two pages' numbers through a temporary number, the page
// after the 1 GiB lock byte (262,145 for 4 KiB pages). pcache1 remembers the largest number it
// has seen, so from then on every commit's `xTruncate(database size + 1)` finds that number far
// past the limit and walks the whole hash table, every bucket and every page, to discard
// nothing: about 8,000 cache-missing loads per commit with a 31 MiB cache, 7% of the writer's
// time in `sluice bench log`.
//
// The layer learns every page number the cache can hold: a page enters only through `xFetch`
// with a create flag or through `xRekey`. It leaves the temporary swap number out of its bound
// while counting the pages parked there, and passes a truncation on whenever a page at or past
// the limit may exist. Everything else goes straight to pcache1.

#include "CSQLiteLayers.h"

#include <sqlite3.h>
#include <stdatomic.h>

/// pcache1's methods, every call is passed on to.
static sqlite3_pcache_methods2 inner;

/// Truncations pcache1 would have walked its hash table for, had the layer passed them on.
static _Atomic unsigned long long scansAvoided;

typedef struct TrackedCache {
    sqlite3_pcache *inner;
    /// No page the cache holds has a larger number, other than pages parked at `swapKey`.
    unsigned int maxKey;
    /// The number balance_nonroot parks a page at while it swaps two pages' numbers.
    unsigned int swapKey;
    /// Pages moved to `swapKey` and not yet moved away (an upper bound: a discard is not seen).
    unsigned int parked;
    /// The largest number pcache1 would remember had every truncation reached it: only counts
    /// the scans the layer saves.
    unsigned int innerMaxKey;
} TrackedCache;

static int trackedInit(void *unused) {
    (void)unused;
    return inner.xInit(inner.pArg);
}

static void trackedShutdown(void *unused) {
    (void)unused;
    inner.xShutdown(inner.pArg);
}

static sqlite3_pcache *trackedCreate(int szPage, int szExtra, int bPurgeable) {
    TrackedCache *cache = sqlite3_malloc(sizeof *cache);
    if (cache == 0) return 0;
    cache->inner = inner.xCreate(szPage, szExtra, bPurgeable);
    if (cache->inner == 0) {
        sqlite3_free(cache);
        return 0;
    }
    cache->maxKey = 0;
    cache->parked = 0;
    cache->innerMaxKey = 0;
    // SQLite's PENDING_BYTE is 0x40000000 unless a test changes it; page sizes are powers of two.
    cache->swapKey = szPage > 0 ? (unsigned int)(0x40000000 / szPage) + 1 : 0;
    return (sqlite3_pcache *)cache;
}

static void trackedCachesize(sqlite3_pcache *pCache, int nCachesize) {
    inner.xCachesize(((TrackedCache *)pCache)->inner, nCachesize);
}

static int trackedPagecount(sqlite3_pcache *pCache) {
    return inner.xPagecount(((TrackedCache *)pCache)->inner);
}

static sqlite3_pcache_page *trackedFetch(sqlite3_pcache *pCache, unsigned int key, int createFlag) {
    TrackedCache *cache = (TrackedCache *)pCache;
    sqlite3_pcache_page *page = inner.xFetch(cache->inner, key, createFlag);
    if (page != 0 && createFlag != 0) {
        if (key > cache->maxKey) cache->maxKey = key;
        if (key > cache->innerMaxKey) cache->innerMaxKey = key;
    }
    return page;
}

static void trackedUnpin(sqlite3_pcache *pCache, sqlite3_pcache_page *page, int discard) {
    inner.xUnpin(((TrackedCache *)pCache)->inner, page, discard);
}

static void trackedRekey(sqlite3_pcache *pCache, sqlite3_pcache_page *page, unsigned int oldKey, unsigned int newKey) {
    TrackedCache *cache = (TrackedCache *)pCache;
    inner.xRekey(cache->inner, page, oldKey, newKey);
    if (newKey > cache->innerMaxKey) cache->innerMaxKey = newKey;
    if (newKey == cache->swapKey) {
        cache->parked += 1;
    } else if (newKey > cache->maxKey) {
        cache->maxKey = newKey;
    }
    if (oldKey == cache->swapKey && cache->parked > 0) cache->parked -= 1;
}

static void trackedTruncate(sqlite3_pcache *pCache, unsigned int iLimit) {
    TrackedCache *cache = (TrackedCache *)pCache;
    int wouldScan = iLimit <= cache->innerMaxKey;
    if (wouldScan) cache->innerMaxKey = iLimit == 0 ? 0 : iLimit - 1;
    int parkedBelowLimit = cache->parked == 0 || cache->swapKey < iLimit;
    if (iLimit > cache->maxKey && parkedBelowLimit) {
        if (wouldScan) atomic_fetch_add_explicit(&scansAvoided, 1, memory_order_relaxed);
        return;
    }
    inner.xTruncate(cache->inner, iLimit);
    // Every page numbered iLimit or more is gone now.
    if (iLimit == 0) {
        cache->maxKey = 0;
    } else if (cache->maxKey >= iLimit) {
        cache->maxKey = iLimit - 1;
    }
    if (cache->swapKey >= iLimit) cache->parked = 0;
}

static void trackedDestroy(sqlite3_pcache *pCache) {
    TrackedCache *cache = (TrackedCache *)pCache;
    inner.xDestroy(cache->inner);
    sqlite3_free(cache);
}

static void trackedShrink(sqlite3_pcache *pCache) {
    inner.xShrink(((TrackedCache *)pCache)->inner);
}

static const sqlite3_pcache_methods2 tracked = {
    .iVersion = 1,
    .pArg = 0,
    .xInit = trackedInit,
    .xShutdown = trackedShutdown,
    .xCreate = trackedCreate,
    .xCachesize = trackedCachesize,
    .xPagecount = trackedPagecount,
    .xFetch = trackedFetch,
    .xUnpin = trackedUnpin,
    .xRekey = trackedRekey,
    .xTruncate = trackedTruncate,
    .xDestroy = trackedDestroy,
    .xShrink = trackedShrink,
};

int sluice_sqlite3_install_tracked_page_cache(void) {
    sqlite3_pcache_methods2 current;
    int code = sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &current);
    if (code != SQLITE_OK) return code;
    if (current.xFetch == trackedFetch) return SQLITE_OK;
    inner = current;
    return sqlite3_config(SQLITE_CONFIG_PCACHE2, &tracked);
}

unsigned long long sluice_sqlite3_page_cache_scans_avoided(void) {
    return atomic_load_explicit(&scansAvoided, memory_order_relaxed);
}
