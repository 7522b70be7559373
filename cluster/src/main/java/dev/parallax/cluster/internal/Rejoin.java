package dev.parallax.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.HashMap;
import java.util.Map;

/**
 * Re-registers a member's permits after a split-brain merge: the member came back with a new UUID
 * and its side's permits map was discarded (the side it joined keeps its own), so whatever the old
 * UUID still holds here is dropped and the new UUID holds exactly the units its running calls hold
 * ({@code units}, by key). Setting rather than adding makes it idempotent and exact even if an
 * acquisition under the old UUID landed on the merged map. Internal; may change at any time.
 */
public final class Rejoin implements EntryProcessor<String, Permits, Void> {

  @Serial private static final long serialVersionUID = 1L;

  private final String oldMember;
  private final String newMember;
  private final HashMap<String, Integer> units;

  /**
   * Moves a member's lease to its new UUID.
   *
   * @param oldMember the UUID it had before the merge
   * @param newMember the UUID it has now
   * @param units the units its running calls hold, by key
   */
  public Rejoin(String oldMember, String newMember, Map<String, Integer> units) {
    this.oldMember = oldMember;
    this.newMember = newMember;
    this.units = new HashMap<>(units);
  }

  @Override
  public Void process(Map.Entry<String, Permits> entry) {
    Permits permits = entry.getValue() == null ? Permits.none() : entry.getValue();
    int n = units.getOrDefault(entry.getKey(), 0);
    Permits moved = permits.without(oldMember).without(newMember).plus(newMember, n);
    if (entry.getValue() != null || n > 0) {
      entry.setValue(moved);
    }
    return null;
  }
}
