package dev.parallax.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * Takes as many permits of a key as are free, up to {@code max}, for a member, in one round trip:
 * the total held across the cluster stays within {@code limit}. Answers how many were taken (0: the
 * member is noted as waiting, as {@link AcquirePermit} does). Runs atomically on the partition that
 * owns the key. Internal; may change at any time.
 */
public final class AcquireUpTo implements EntryProcessor<String, Permits, Integer> {

  @Serial private static final long serialVersionUID = 1L;

  private final String member;
  private final int limit;
  private final int max;

  /**
   * Takes up to {@code max} permits.
   *
   * @param member the UUID of the member taking them
   * @param limit the cluster-wide limit of the key
   * @param max the most to take
   */
  public AcquireUpTo(String member, int limit, int max) {
    this.member = member;
    this.limit = limit;
    this.max = max;
  }

  @Override
  public Integer process(Map.Entry<String, Permits> entry) {
    Permits permits = entry.getValue() == null ? Permits.none() : entry.getValue();
    int n = Math.min(max, limit - permits.total());
    if (n <= 0) {
      if (!permits.waits(member)) {
        entry.setValue(permits.waiting(member, true)); // others then give back, not hand off
      }
      return 0;
    }
    Permits taken = permits.plus(member, n);
    entry.setValue(permits.waits(member) ? taken.waiting(member, false) : taken);
    return n;
  }
}
