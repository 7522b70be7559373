package dev.parallax.cluster.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
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
  private final Map<String, Integer> limits;
  private final Map<String, Set<RunAdmission>> waiting = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
  private final UUID listener;
  private final AtomicLong callbackFailures = new AtomicLong();

  /**
   * Admission over the given map.
   *
   * @param permits the permits map
   * @param member this member's UUID
   * @param limits cluster-wide limits by tool name
   */
  public ClusterAdmission(IMap<String, Permits> permits, UUID member, Map<String, Integer> limits) {
    this.permits = Objects.requireNonNull(permits, "permits");
    this.member = member.toString();
    this.limits = Map.copyOf(limits);
    this.listener =
        permits.addEntryListener((EntryUpdatedListener<String, Permits>) this::updated, true);
  }

  /** The cluster-wide limit of a tool, {@link Integer#MAX_VALUE} if none. */
  int limitOf(Tool<?, ?> tool) {
    Integer limit = limits.get(tool.name());
    if (limit != null) {
      return limit;
    }
    return tool.spec().concurrencySafe() ? Integer.MAX_VALUE : 1;
  }

  @Override
  public Admission open(String runId, Runnable capacityAvailable) {
    return new RunAdmission(runId, capacityAvailable);
  }

  /** Permits of a tool held across the cluster now (a round trip). */
  public int held(String tool) {
    Permits p = permits.get(tool);
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

    /** Permits this run holds, by tool; only its events touch it. */
    private final Map<String, Integer> held = new HashMap<>();

    /** The release generation at which a tool was last refused, by tool; only its events. */
    private final Map<String, Long> refusedAt = new HashMap<>();

    RunAdmission(String runId, Runnable capacityAvailable) {
      this.runId = runId;
      this.capacityAvailable = capacityAvailable;
    }

    @Override
    public boolean tryAcquire(PendingCall call) {
      Tool<?, ?> tool = call.tool();
      int limit = limitOf(tool);
      if (limit == Integer.MAX_VALUE) {
        return true;
      }
      String name = tool.name();
      AtomicLong generation = generation(name);
      long before = generation.get();
      Long refused = refusedAt.get(name);
      if (refused != null && refused == before) {
        return false; // refused since the last release: no round trip
      }
      // wait before asking: a release between a refusal and the registration is not missed
      waiting.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(this);
      boolean granted;
      try {
        granted = permits.executeOnKey(name, new AcquirePermit(member, limit));
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "cluster admission could not ask for a permit of tool '" + name + "': " + e, e);
      }
      if (granted) {
        held.merge(name, 1, Integer::sum);
        refusedAt.remove(name);
      } else {
        refusedAt.put(name, before);
      }
      return granted;
    }

    @Override
    public void release(PendingCall call, AttemptSample sample) {
      String name = sample.tool();
      Integer n = held.get(name);
      if (n == null) {
        return; // unlimited tool: nothing was taken
      }
      if (n == 1) {
        held.remove(name);
      } else {
        held.put(name, n - 1);
      }
      refusedAt.remove(name); // the engine offers a refused call of this tool now
      give(name, 1);
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

  private void give(String tool, int count) {
    try {
      permits.executeOnKey(tool, new ReleasePermit(member, count));
    } catch (RuntimeException e) {
      // the member is leaving: its lease ends with it and survivors drop its permits
      LOG.log(Level.FINE, "permit of " + tool + " not given back; the lease ends it", e);
    }
  }
}
