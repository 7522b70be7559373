package dev.parallax.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * Takes permits of a key (a tool, {@code lane:NAME} or {@code resource:NAME}) for a member if the
 * total held across the cluster stays within {@code limit}. Runs atomically on the partition that
 * owns the tool's key (and again on its backup), so two members can never both take the last
 * permit. A refused member is noted as waiting until it takes one (see {@link
 * Permits#othersWaiting}). Internal; may change at any time.
 */
public final class AcquirePermit implements EntryProcessor<String, Permits, Boolean> {

  @Serial private static final long serialVersionUID = 2L; // 2: units (of a named resource)

  private final String member;
  private final int limit;
  private final int units;

  /**
   * Takes a permit.
   *
   * @param member the UUID of the member taking it
   * @param limit the tool's cluster-wide limit
   */
  public AcquirePermit(String member, int limit) {
    this(member, limit, 1);
  }

  /**
   * Takes {@code units} permits (of a named resource), all or none.
   *
   * @param member the UUID of the member taking them
   * @param limit the cluster-wide limit of the key
   * @param units how many
   */
  public AcquirePermit(String member, int limit, int units) {
    this.member = member;
    this.limit = limit;
    this.units = units;
  }

  @Override
  public Boolean process(Map.Entry<String, Permits> entry) {
    Permits permits = entry.getValue() == null ? Permits.none() : entry.getValue();
    if (permits.total() + units > limit) {
      if (!permits.waits(member)) {
        entry.setValue(permits.waiting(member, true)); // others then give back, not hand off
      }
      return false;
    }
    Permits taken = permits.plus(member, units);
    entry.setValue(permits.waits(member) ? taken.waiting(member, false) : taken);
    return true;
  }
}
