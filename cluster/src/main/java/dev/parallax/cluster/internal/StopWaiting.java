package dev.parallax.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * Notes that a member no longer waits for a permit of a key (its refused calls ended without one).
 * Internal; may change at any time.
 */
public final class StopWaiting implements EntryProcessor<String, Permits, Void> {

  @Serial private static final long serialVersionUID = 1L;

  private final String member;

  /**
   * Stops waiting.
   *
   * @param member the UUID of the member
   */
  public StopWaiting(String member) {
    this.member = member;
  }

  @Override
  public Void process(Map.Entry<String, Permits> entry) {
    Permits permits = entry.getValue();
    if (permits != null && permits.waits(member)) {
      entry.setValue(permits.waiting(member, false));
    }
    return null;
  }
}
