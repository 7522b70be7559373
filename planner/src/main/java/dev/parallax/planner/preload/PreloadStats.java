package dev.parallax.planner.preload;

/**
 * Counts of preloading since the cache was built. Read one after another while calls go on, so only
 * consistent with each other once the cache is quiet.
 *
 * @param started preloads started
 * @param hits real calls answered by a preloaded entry (stored, or by joining it while it ran);
 *     each preload counts at most once
 * @param failed preloads whose tool threw or that were cancelled; nothing was stored
 * @param skippedYield predictions not preloaded because real calls were queued for capacity
 * @param skippedBudget predictions not preloaded because the waste budget was empty
 * @param skippedInFlight predictions not preloaded because {@code maxInFlight} preloads ran
 * @param seamFailures calls after which preloading itself failed (logged; the call was not
 *     affected)
 * @param skippedSuspended predictions not preloaded because their rule's live precision was too low
 *     (its share budget refused them; see {@link Preloading})
 * @param suspendedRules the rules suspended now, in words, sorted
 * @param cancelledForCapacity running preloads cancelled because real calls waited for capacity
 *     (counted in {@code failed} too); a preload a real call had joined is never cancelled
 */
public record PreloadStats(
    long started,
    long hits,
    long failed,
    long skippedYield,
    long skippedBudget,
    long skippedInFlight,
    long seamFailures,
    long skippedSuspended,
    java.util.List<String> suspendedRules,
    long cancelledForCapacity) {

  /** Copies the list. */
  public PreloadStats {
    suspendedRules = java.util.List.copyOf(suspendedRules);
  }

  /** Counts without preloads cancelled for capacity. */
  public PreloadStats(
      long started,
      long hits,
      long failed,
      long skippedYield,
      long skippedBudget,
      long skippedInFlight,
      long seamFailures,
      long skippedSuspended,
      java.util.List<String> suspendedRules) {
    this(
        started,
        hits,
        failed,
        skippedYield,
        skippedBudget,
        skippedInFlight,
        seamFailures,
        skippedSuspended,
        suspendedRules,
        0);
  }

  /** Preloads not (yet) used by a real call: {@code started - hits}. */
  public long unused() {
    return started - hits;
  }
}
