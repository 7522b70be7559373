package dev.parallax.cluster.internal;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The permits of one tool held across the cluster: how many each member holds, and which members
 * were refused one and have not taken one since (waiting). A member's permits are its lease: when
 * it leaves, {@link ReleaseMember} drops them. Immutable once stored (entry processors store a new
 * copy). Internal; may change at any time.
 */
public final class Permits implements Serializable {

  @Serial private static final long serialVersionUID = 2L; // 2: the waiting members

  private final HashMap<String, Integer> held;
  private final HashSet<String> waiting;

  Permits(Map<String, Integer> held) {
    this(held, Set.of());
  }

  Permits(Map<String, Integer> held, Set<String> waiting) {
    this.held = new HashMap<>(held);
    this.waiting = new HashSet<>(waiting);
  }

  static Permits none() {
    return new Permits(Map.of());
  }

  /** Whether a member other than this one was refused a permit and has not taken one since. */
  public boolean othersWaiting(String member) {
    return waiting.size() > (waiting.contains(member) ? 1 : 0);
  }

  boolean waits(String member) {
    return waiting.contains(member);
  }

  /** A copy in which the member waits (true) or does not (false). */
  Permits waiting(String member, boolean waits) {
    HashSet<String> copy = new HashSet<>(waiting);
    if (waits) {
      copy.add(member);
    } else {
      copy.remove(member);
    }
    return new Permits(held, copy);
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
    return new Permits(copy, waiting);
  }

  Permits without(String member) {
    HashMap<String, Integer> copy = new HashMap<>(held);
    copy.remove(member);
    HashSet<String> waits = new HashSet<>(waiting);
    waits.remove(member);
    return new Permits(copy, waits);
  }

  boolean holds(String member) {
    return held.containsKey(member);
  }

  @Override
  public String toString() {
    return "Permits" + held + (waiting.isEmpty() ? "" : " waiting " + waiting);
  }
}
