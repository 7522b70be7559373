package dev.parallax.planner.preload;

/**
 * Counts of preloading since the cache was built. Read one after another while calls go on, so only
 * consistent with each other once the cache is quiet.
 *
 * @param started preloads started
 * @param hits real calls answered by a preloaded entry (stored, or by joining it while it ran);
 *     each preload counts at most once
 * @param failed preloads whose tool threw or that were cancelled; nothing was stored
 * @param skippedYield predictions not preloaded because real calls were queued for capacity, or
 *     because the admission control given to the cache refused the preload a permit
 * @param skippedBudget predictions not preloaded because the waste budget was empty
 * @param skippedInFlight predictions not preloaded because {@code maxInFlight} preloads ran
 * @param seamFailures failures of preloading itself or of code it calls (after a call, the session
 *     key function, the preload record sink, giving back a permit); each logged, no real call
 *     affected
 * @param skippedSuspended predictions not preloaded because their rule's live precision was too low
 *     (its share budget refused them; see {@link Preloading})
 * @param suspendedRules the rules suspended now, in words, sorted
 * @param cancelledForCapacity running preloads cancelled because real calls waited for capacity
 *     (counted in {@code failed} too); a preload a real call had joined is never cancelled
 * @param sessionsEnded agent sessions that ended (idle past {@link Preloading#sessionIdle()} or
 *     pushed out by {@link Preloading#maxSessions()})
 * @param modelVersion the model in use: 0 the one given, n after the n-th live relearning ({@link
 *     Preloading.Builder#learnLive})
 * @param sessionsLearnt the finished sessions the model in use was relearnt from; 0 for the given
 *     model
 * @param relearnFailures live relearnings that failed (logged; the model before stayed)
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
    long cancelledForCapacity,
    long sessionsEnded,
    long modelVersion,
    long sessionsLearnt,
    long relearnFailures) {

  /** Copies the list. */
  public PreloadStats {
    suspendedRules = java.util.List.copyOf(suspendedRules);
  }

  /** Preloads not (yet) used by a real call: {@code started - hits}. */
  public long unused() {
    return started - hits;
  }
}
