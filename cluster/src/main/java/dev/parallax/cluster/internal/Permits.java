package dev.parallax.cluster.internal;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The permits of one tool held across the cluster: how many each member holds. A member's permits
 * are its lease: when it leaves, {@link ReleaseMember} drops them. Immutable once stored (entry
 * processors store a new copy). Internal; may change at any time.
 */
public final class Permits implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final HashMap<String, Integer> held;

  Permits(Map<String, Integer> held) {
    this.held = new HashMap<>(held);
  }

  static Permits none() {
    return new Permits(Map.of());
  }

  /** Permits held by all members together. */
  public int total() {
    int sum = 0;
    for (int n : held.values()) {
      sum += n;
    }
    return sum;
  }

  /** Permits held by the member with this UUID. */
  public int heldBy(String member) {
    return held.getOrDefault(member, 0);
  }

  Permits plus(String member, int delta) {
    HashMap<String, Integer> copy = new HashMap<>(held);
    int n = copy.getOrDefault(member, 0) + delta;
    if (n > 0) {
      copy.put(member, n);
    } else {
      copy.remove(member);
    }
    return new Permits(copy);
  }

  Permits without(String member) {
    HashMap<String, Integer> copy = new HashMap<>(held);
    copy.remove(member);
    return new Permits(copy);
  }

  boolean holds(String member) {
    return held.containsKey(member);
  }

  @Override
  public String toString() {
    return "Permits" + held;
  }
}
