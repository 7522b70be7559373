package dev.parallax.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * Takes one permit of a tool for a member if fewer than {@code limit} are held across the cluster.
 * Runs atomically on the partition that owns the tool's key (and again on its backup), so two
 * members can never both take the last permit. Internal; may change at any time.
 */
public final class AcquirePermit implements EntryProcessor<String, Permits, Boolean> {

  @Serial private static final long serialVersionUID = 1L;

  private final String member;
  private final int limit;

  /**
   * Takes a permit.
   *
   * @param member the UUID of the member taking it
   * @param limit the tool's cluster-wide limit
   */
  public AcquirePermit(String member, int limit) {
    this.member = member;
    this.limit = limit;
  }

  @Override
  public Boolean process(Map.Entry<String, Permits> entry) {
    Permits permits = entry.getValue() == null ? Permits.none() : entry.getValue();
    if (permits.total() >= limit) {
      return false;
    }
    entry.setValue(permits.plus(member, 1));
    return true;
  }
}
