package dev.parallax.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * Drops every permit a member holds: its lease ends when it leaves the cluster. Idempotent, so
 * every survivor may run it. Internal; may change at any time.
 */
public final class ReleaseMember implements EntryProcessor<String, Permits, Void> {

  @Serial private static final long serialVersionUID = 1L;

  private final String member;

  /**
   * Ends a member's lease.
   *
   * @param member the UUID of the member that left
   */
  public ReleaseMember(String member) {
    this.member = member;
  }

  @Override
  public Void process(Map.Entry<String, Permits> entry) {
    Permits permits = entry.getValue();
    if (permits != null && (permits.holds(member) || permits.waits(member))) {
      entry.setValue(permits.without(member));
    }
    return null;
  }
}
