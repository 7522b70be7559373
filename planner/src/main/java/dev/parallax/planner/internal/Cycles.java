package dev.parallax.planner.internal;

import java.util.List;

/**
 * Cycles in messages, bounded: a cycle of a million ids is still one short line. Internal; may
 * change at any time.
 */
public final class Cycles {

  /** Ids shown at each end of a long cycle. */
  private static final int ENDS = 5;

  private Cycles() {}

  /**
   * {@code a -> b -> a} when short; when long, the number of elements and the first and last few
   * around {@code … N calls …}.
   *
   * @param cycle the names along the cycle, the first repeated at the end
   * @param noun what the names are, plural ({@code calls}, {@code tools})
   */
  public static String describe(List<String> cycle, String noun) {
    if (cycle.size() <= 2 * ENDS + 2) {
      return String.join(" -> ", cycle);
    }
    return (cycle.size() - 1)
        + " "
        + noun
        + ": "
        + String.join(" -> ", cycle.subList(0, ENDS))
        + " -> … "
        + (cycle.size() - 2 * ENDS)
        + " "
        + noun
        + " … -> "
        + String.join(" -> ", cycle.subList(cycle.size() - ENDS, cycle.size()));
  }
}
