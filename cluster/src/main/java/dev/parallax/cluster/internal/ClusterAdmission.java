package dev.parallax.cluster.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/*
 * Cluster-wide per-tool limits. The permits of tool T live in one IMap entry (key T, a Permits
 * value: how many each member holds). Taking a permit is an entry processor that runs atomically on
 * the partition owning T and adds one for this member only if the total is below T's limit; giving
 * it back subtracts one. Entry processors are applied to the synchronous backup too, so a partition
 * owner's death loses no count. A member's permits are its lease: when it leaves the cluster every
 * survivor runs ReleaseMember(uuid) over all entries (idempotent), so a crash never leaks capacity.
 *
 * Permits are given back asynchronously (the run does not wait for the round trip), so a count may
 * stay high for a moment after a call ended: never low, so the limit still holds.
 *
 * A refused run waits for capacity: an entry listener (with values) sees every update of the permits
 * map; when a tool's total drops, the tool's release generation here goes up and the runs on this
 * member that asked for that tool are told (capacityAvailable), and they offer their refused calls
 * again. A run that was refused a tool at generation g refuses further calls of that tool itself,
 * without a round trip, while the generation is still g: the engine offers every ready call, and
 * hundreds of refusals each costing a round trip would swamp the partition that owns the tool.
 * The generation is read before asking, so a release that lands meanwhile is never missed.
 */
/** Cluster-wide per-tool admission with leases. Thread-safe. Internal; may change at any time. */
public final class ClusterAdmission implements AdmissionControl, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ClusterAdmission.class.getName());

  private final IMap<String, Permits> permits;
  private final String member;
  private final ClusterLimits limits;
  private final Map<String, Set<RunAdmission>> waiting = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
  private final UUID listener;
  private final AtomicLong callbackFailures = new AtomicLong();
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  /**
   * Admission over the given map.
   *
   * @param permits the permits map
   * @param member this member's UUID
   * @param limits cluster-wide limits of tools, lanes and named resources
   */
  public ClusterAdmission(IMap<String, Permits> permits, UUID member, ClusterLimits limits) {
    this.permits = Objects.requireNonNull(permits, "permits");
    this.member = member.toString();
    this.limits = Objects.requireNonNull(limits, "limits");
    this.listener =
        permits.addEntryListener((EntryUpdatedListener<String, Permits>) this::updated, true);
  }

  @Override
  public Admission open(String runId, Runnable capacityAvailable) {
    return new RunAdmission(runId, capacityAvailable);
  }

  /**
   * Permits of a key held across the cluster now (a round trip): a tool's name, {@code lane:NAME}
   * or {@code resource:NAME}.
   */
  public int held(String key) {
    for (CompletableFuture<?> release : List.copyOf(pending)) {
      try {
        release.join(); // this member's own releases first: a count it reads includes them
      } catch (RuntimeException e) {
        // logged where it failed
      }
    }
    Permits p = permits.get(key);
    return p == null ? 0 : p.total();
  }

  /** Failures of {@code capacityAvailable} callbacks, logged and ignored. */
  public long callbackFailures() {
    return callbackFailures.get();
  }

  private void updated(EntryEvent<String, Permits> event) {
    Permits before = event.getOldValue();
    Permits after = event.getValue();
    if (before != null && after != null && after.total() >= before.total()) {
      return; // taken, not given back
    }
    generation(event.getKey()).incrementAndGet();
    Set<RunAdmission> runs = waiting.get(event.getKey());
    if (runs == null) {
      return;
    }
    for (RunAdmission run : runs) {
      try {
        run.capacityAvailable.run();
      } catch (Throwable e) {
        callbackFailures.incrementAndGet();
        LOG.log(
            Level.WARNING, "admission seam: capacityAvailable of run " + run.runId + " threw", e);
      }
    }
  }

  /**
   * Ends a member's lease: every permit it holds is dropped. Then every waiting run here offers its
   * refused calls again, also when no count changed (a permit count lost with its partition is
   * gone, not updated, and no event says so).
   */
  public void releaseMember(String memberUuid) {
    try {
      permits.executeOnEntries(new ReleaseMember(memberUuid));
    } finally {
      generations.values().forEach(AtomicLong::incrementAndGet);
      for (Set<RunAdmission> runs : waiting.values()) {
        for (RunAdmission run : runs) {
          notify(run);
        }
      }
    }
  }

  private AtomicLong generation(String tool) {
    return generations.computeIfAbsent(tool, k -> new AtomicLong());
  }

  private void notify(RunAdmission run) {
    try {
      run.capacityAvailable.run();
    } catch (Throwable e) {
      callbackFailures.incrementAndGet();
      LOG.log(Level.WARNING, "admission seam: capacityAvailable of run " + run.runId + " threw", e);
    }
  }

  @Override
  public void close() {
    try {
      permits.removeEntryListener(listener);
    } catch (RuntimeException e) {
      // the instance is shutting down: the listener goes with it
    }
  }

  /** The admission of one run; called from the run's serialized events. */
  private final class RunAdmission implements Admission {
    final String runId;
    final Runnable capacityAvailable;

    /** Permits this run holds, by key; only its events touch it. */
    private final Map<String, Integer> held = new HashMap<>();

    /** The release generation at which a key was last refused, by key; only its events. */
    private final Map<String, Long> refusedAt = new HashMap<>();

    RunAdmission(String runId, Runnable capacityAvailable) {
      this.runId = runId;
      this.capacityAvailable = capacityAvailable;
    }

    @Override
    public boolean tryAcquire(PendingCall call) {
      List<ClusterLimits.Demand> demands = limits.demands(call.tool());
      if (demands.isEmpty()) {
        return true;
      }
      for (ClusterLimits.Demand d : demands) {
        Long refused = refusedAt.get(d.key());
        if (refused != null && refused == generation(d.key()).get()) {
          return false; // refused since the last release: no round trip
        }
      }
      List<ClusterLimits.Demand> taken = new ArrayList<>(demands.size());
      for (ClusterLimits.Demand d : demands) { // in key order, all or none
        long before = generation(d.key()).get();
        // wait before asking: a release between a refusal and the registration is not missed
        waiting.computeIfAbsent(d.key(), k -> ConcurrentHashMap.newKeySet()).add(this);
        boolean granted;
        try {
          granted = permits.executeOnKey(d.key(), new AcquirePermit(member, d.limit(), d.units()));
        } catch (RuntimeException e) {
          taken.forEach(t -> give(t.key(), t.units()));
          throw new IllegalStateException(
              "cluster admission could not ask for a permit of '" + d.key() + "': " + e, e);
        }
        if (!granted) {
          refusedAt.put(d.key(), before);
          taken.forEach(t -> give(t.key(), t.units())); // none: give back what this call took
          return false;
        }
        taken.add(d);
      }
      for (ClusterLimits.Demand d : taken) {
        held.merge(d.key(), d.units(), Integer::sum);
        refusedAt.remove(d.key());
      }
      return true;
    }

    @Override
    public void release(PendingCall call, AttemptSample sample) {
      for (ClusterLimits.Demand d : limits.demands(call.tool())) {
        Integer n = held.get(d.key());
        if (n == null) {
          continue; // not taken
        }
        int left = n - d.units();
        if (left <= 0) {
          held.remove(d.key());
        } else {
          held.put(d.key(), left);
        }
        refusedAt.remove(d.key()); // the engine offers a refused call of this key now
        give(d.key(), Math.min(n, d.units()));
      }
    }

    @Override
    public void close() {
      held.forEach(ClusterAdmission.this::give);
      held.clear();
      for (Set<RunAdmission> runs : waiting.values()) {
        runs.remove(this);
      }
    }
  }

  /**
   * Gives permits back without waiting for the answer: the run's events are serialized, and a
   * release that waited a round trip would halve how many calls a run can admit per second. The
   * entry listener tells every member when it has landed.
   */
  private void give(String tool, int count) {
    try {
      CompletableFuture<Void> release =
          permits.submitToKey(tool, new ReleasePermit(member, count)).toCompletableFuture();
      pending.add(release);
      release.whenComplete(
          (v, e) -> {
            pending.remove(release);
            if (e != null) {
              LOG.log(Level.FINE, "permit of " + tool + " not given back; the lease ends it", e);
            }
          });
    } catch (RuntimeException e) {
      // the member is leaving: its lease ends with it and survivors drop its permits
      LOG.log(Level.FINE, "permit of " + tool + " not given back; the lease ends it", e);
    }
  }
}
