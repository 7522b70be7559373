package dev.parallax.cluster.internal;

import com.hazelcast.cluster.Member;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/*
 * Load-based placement: each call goes to the member with the fewest calls this member has sent it
 * and not yet got back (ties: the first in member order, rotated by a counter so that ties spread).
 * It is this member's own view; with several submitting members each balances its own share.
 */
/** Picks the member an attempt runs on. Thread-safe. Internal; may change at any time. */
public final class Placement {

  private final Map<UUID, AtomicInteger> outstanding = new ConcurrentHashMap<>();
  private final AtomicInteger rotation = new AtomicInteger();

  /** The least loaded of {@code members} not in {@code excluded}, or null if none is left. */
  public @Nullable Member choose(Collection<Member> members, Set<UUID> excluded) {
    Member[] candidates = members.toArray(Member[]::new);
    int n = candidates.length;
    if (n == 0) {
      return null;
    }
    int start = Math.floorMod(rotation.getAndIncrement(), n);
    Member best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      Member m = candidates[(start + i) % n];
      if (excluded.contains(m.getUuid())) {
        continue;
      }
      int load = load(m.getUuid());
      if (load < bestLoad) {
        best = m;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Calls sent to a member and not yet back. */
  public int load(UUID member) {
    AtomicInteger n = outstanding.get(member);
    return n == null ? 0 : n.get();
  }

  /** A call was sent to the member. */
  public void sent(UUID member) {
    outstanding.computeIfAbsent(member, k -> new AtomicInteger()).incrementAndGet();
  }

  /** A call sent to the member came back (or the member left). */
  public void returned(UUID member) {
    AtomicInteger n = outstanding.get(member);
    if (n != null) {
      n.decrementAndGet();
    }
  }
}
