package dev.parallax.adaptive;

/**
 * Counters of the history store's neighbours on an {@link AdaptivePredictor}'s call path (see
 * {@link AdaptivePredictor.Builder#historyNeighbours}); all zero when none are configured. Counted
 * since the predictor was built.
 *
 * @param lookups predictions whose tool's chosen model is k nearest neighbours and whose in-memory
 *     index answered, so that the store could answer instead
 * @param storeAnswers lookups answered by a cached store estimate
 * @param shadowed lookups with a cached store estimate that did not answer, because the store has
 *     not (or no longer) beaten the in-memory index on the tool's finished calls
 * @param misses lookups with no cached estimate (the in-memory index answered, a query was
 *     scheduled unless one was already pending)
 * @param refreshes queries scheduled for a cached estimate grown stale (too many new records of its
 *     tool, or too old); the stale estimate answered meanwhile
 * @param queries store queries completed (with or without an answer)
 * @param dropped queries not scheduled because the background queue was full or closed
 * @param failures queries, or keys, that threw (logged; the in-memory index answered)
 */
public record NeighbourCacheStats(
    long lookups,
    long storeAnswers,
    long shadowed,
    long misses,
    long refreshes,
    long queries,
    long dropped,
    long failures) {

  /** Nothing counted. */
  public static final NeighbourCacheStats NONE = new NeighbourCacheStats(0, 0, 0, 0, 0, 0, 0, 0);

  /** Share of lookups answered by the store, 0 if none. */
  public double storeShare() {
    return lookups == 0 ? 0 : (double) storeAnswers / lookups;
  }
}
