package dev.parallax.planner.cache;

/**
 * Counts of a {@link CaffeineResultCache} since it was built. The counts are read one after another
 * while calls go on, so they are only consistent with each other once the cache is quiet.
 *
 * @param hits lookups answered without running the tool for them: from a stored result, or by
 *     waiting for an identical call already running (single flight)
 * @param misses lookups that started a computation of the tool
 * @param uncacheable lookups of cacheable tools whose input could not be made into a key (Jackson
 *     could not write it as JSON); the tool ran uncached
 * @param evictions stored results removed because of the size or weight bound or because their time
 *     to live passed (counted when Caffeine removes them, which may be later)
 * @param loads computations that ended with a value, which was stored
 * @param loadFailures computations whose tool threw; nothing was stored
 */
public record ResultCacheStats(
    long hits, long misses, long uncacheable, long evictions, long loads, long loadFailures) {}
