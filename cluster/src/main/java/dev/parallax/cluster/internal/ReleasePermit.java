package dev.parallax.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/** Gives back permits of a tool held by a member. Internal; may change at any time. */
public final class ReleasePermit implements EntryProcessor<String, Permits, Void> {

  @Serial private static final long serialVersionUID = 1L;

  private final String member;
  private final int count;

  /**
   * Gives back permits.
   *
   * @param member the UUID of the member that holds them
   * @param count how many
   */
  public ReleasePermit(String member, int count) {
    this.member = member;
    this.count = count;
  }

  @Override
  public Void process(Map.Entry<String, Permits> entry) {
    Permits permits = entry.getValue();
    if (permits != null && permits.holds(member)) {
      entry.setValue(permits.plus(member, -Math.min(count, permits.heldBy(member))));
    }
    return null;
  }
}
