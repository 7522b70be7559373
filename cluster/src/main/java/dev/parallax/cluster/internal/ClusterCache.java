package dev.parallax.cluster.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryView;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.query.Predicates;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/*
 * A result cache shared by the members, with single flight across them. Two maps:
 *
 *   cache     key -> Cached(value), each entry with its tool's TTL; members read it through a near
 *             cache (invalidated when the entry changes), so repeated hits cost no round trip.
 *   inFlight  key -> UUID of the member computing it now.
 *
 * A lookup of a cacheable call with key K loops:
 *   1. a value under K in `cache`: a HIT.
 *   2. claim K: inFlight.putIfAbsent(K, me). Won: read `cache` once more at the owner (no near
 *      cache: a value may have landed between 1 and 2), else run the tool, store its value with the
 *      TTL, then drop the claim (in this order, so whoever sees the claim gone can read the value).
 *      If the tool throws, drop the claim and rethrow; a waiter then claims K and runs the tool.
 *   3. Lost (another call, here or on another member, computes K): wait for an event on K — a
 *      value added to `cache` or the claim dropped from `inFlight` — then go to 1. The waiter
 *      registers before it checks again, so no event is missed.
 *
 * A member that dies while computing drops its claims: survivors remove the claims held by its
 * UUID (see ClusterMembers), which wakes the waiters; one of them runs the tool.
 */
/**
 * Shared result cache with single flight across members. Thread-safe. Internal; may change at any
 * time.
 */
public final class ClusterCache implements ResultCache, AutoCloseable {

  private final IMap<String, Cached> cache;
  private final IMap<String, String> inFlight;
  private final String member;
  private final Map<String, Duration> ttls;
  private final Duration defaultTtl;
  private final Map<String, CompletableFuture<Void>> waiters = new ConcurrentHashMap<>();
  private final UUID cacheListener;
  private final UUID claimListener;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder waits = new LongAdder();
  private final LongAdder uncacheable = new LongAdder();

  /**
   * A cache over the given maps.
   *
   * @param cache the values
   * @param inFlight the claims of computations under way
   * @param member this member's UUID
   * @param ttls time to live by tool name
   * @param defaultTtl time to live of tools not named
   */
  public ClusterCache(
      IMap<String, Cached> cache,
      IMap<String, String> inFlight,
      UUID member,
      Map<String, Duration> ttls,
      Duration defaultTtl) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
    this.member = member.toString();
    this.ttls = Map.copyOf(ttls);
    this.defaultTtl = defaultTtl;
    this.cacheListener = cache.addEntryListener(new ValueListener(), false);
    this.claimListener = inFlight.addEntryListener(new ClaimListener(), false);
  }

  @Override
  public Lookup lookup(PendingCall call, Object input, Callable<?> tool) throws Exception {
    ToolSpec spec = call.tool().spec();
    if (!spec.cacheable() || !spec.idempotent()) {
      uncacheable.increment();
      return new Lookup(tool.call(), Status.NOT_CACHED);
    }
    String key = Json.cacheKey(spec.name(), input);
    Duration ttl = ttls.getOrDefault(spec.name(), defaultTtl);
    while (true) {
      Cached cached = cache.get(key);
      if (cached != null) {
        hits.increment();
        return new Lookup(cached.value(), Status.HIT);
      }
      if (inFlight.putIfAbsent(key, member) == null) {
        return compute(key, ttl, tool);
      }
      CompletableFuture<Void> signal = waiters.computeIfAbsent(key, k -> new CompletableFuture<>());
      if (inFlight.containsKey(key)) { // still computed elsewhere: wait for its end
        waits.increment();
        try {
          signal.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException(e); // never completed exceptionally
        }
      }
    }
  }

  private Lookup compute(String key, Duration ttl, Callable<?> tool) throws Exception {
    try {
      EntryView<String, Cached> landed = cache.getEntryView(key); // at the owner, not near
      if (landed != null) {
        hits.increment();
        return new Lookup(landed.getValue().value(), Status.HIT);
      }
      Object value = tool.call();
      misses.increment();
      try {
        cache.set(key, new Cached(value), ttl.toMillis(), TimeUnit.MILLISECONDS);
        return new Lookup(value, Status.MISS);
      } catch (HazelcastSerializationException e) {
        uncacheable.increment(); // the value cannot travel: not shared, returned all the same
        return new Lookup(value, Status.NOT_CACHED);
      }
    } finally {
      inFlight.delete(key);
    }
  }

  /** Drops the claims of a member that left, waking whoever waits for them. */
  public void releaseMember(String memberUuid) {
    inFlight.removeAll(Predicates.equal("this", memberUuid));
  }

  private void wake(String key) {
    CompletableFuture<Void> signal = waiters.remove(key);
    if (signal != null) {
      signal.complete(null);
    }
  }

  /** Lookups answered from the cluster's cache. */
  public long hits() {
    return hits.sum();
  }

  /** Lookups that ran their tool and shared its value. */
  public long misses() {
    return misses.sum();
  }

  /** Times a lookup waited for an identical call computed on this or another member. */
  public long waits() {
    return waits.sum();
  }

  /** Lookups of tools that are not cacheable, or whose value could not be serialized. */
  public long uncacheable() {
    return uncacheable.sum();
  }

  @Override
  public void close() {
    try {
      cache.removeEntryListener(cacheListener);
      inFlight.removeEntryListener(claimListener);
    } catch (RuntimeException e) {
      // the instance is shutting down: the listeners go with it
    }
    waiters.values().forEach(w -> w.complete(null));
  }

  private final class ValueListener
      implements EntryAddedListener<String, Cached>, EntryUpdatedListener<String, Cached> {
    @Override
    public void entryAdded(EntryEvent<String, Cached> event) {
      wake(event.getKey());
    }

    @Override
    public void entryUpdated(EntryEvent<String, Cached> event) {
      wake(event.getKey());
    }
  }

  private final class ClaimListener
      implements EntryRemovedListener<String, String>,
          EntryEvictedListener<String, String>,
          EntryExpiredListener<String, String> {
    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      wake(event.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      wake(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      wake(event.getKey());
    }
  }
}
