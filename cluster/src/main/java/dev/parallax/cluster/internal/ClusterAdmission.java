package dev.parallax.cluster.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.parallax.cluster.SplitBrainException;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

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
 *
 * Hand-off: a call that ends while its run has refused calls of the same tool keeps its permits
 * for the run's next call of that tool (the engine offers one refused call of the tool right after
 * a release) instead of giving them back and asking again: no round trip either way, and the
 * global count does not change, so the limit and the lease hold as before. It is done only while
 * no other member and no other run of this member is waiting for any of the keys (a refused member
 * is noted in the entry until it takes a permit; the entry listener keeps the last value of each
 * key), so waiting members get released permits as before. A run keeps at most as many handed-off
 * permits as it has refused calls of the tool; what it has not used goes back when it stops or
 * closes.
 *
 * Bursts: a run's first calls of a tool would each cost a round trip, one after the other on the
 * run's serialized events (24 calls under a limit of 24 on a remote partition owner: 24 round trips
 * before the last one starts, 130-340 ms on a loaded host). So the first call of a single permit
 * asks for its permit as before, and the next call of the same burst (no permit spare, no release
 * since) does not wait for a round trip of its own: it is refused at once, and one request goes out
 * without blocking (AcquireUpTo: as many permits as are free, up to what the run does not hold of
 * the limit); the calls offered meanwhile are refused at once too. When the answer comes, the run is
 * told (capacityAvailable), the engine offers the refused calls again and they start on the granted
 * permits (spare permits of the run, as handed-off ones); what is granted beyond the run's refused
 * calls goes back as soon as the run reads the answer. A burst of any size costs two round trips.
 * A refusal is handled as a refused round trip; a failed request fails the calls it was for.
 *
 * Split brain. With split-brain protection (ParallaxClusterBuilder.splitBrainProtection) the
 * permits map refuses reads and writes on a member that sees fewer members than the minimum:
 * tryAcquire then throws a SplitBrainException, so the minority side of a partition fails calls
 * instead of admitting up to the full limit next to the majority. (Hazelcast notices a split only
 * when heartbeats time out: until then both sides still count themselves whole.) The majority
 * declared the cut-off members dead and ended their leases. When the split heals, the smaller side
 * merges into the larger one: its members come back with new UUIDs and its permits map is
 * discarded (DiscardMergePolicy), and each of its members re-registers what its running calls
 * really hold under its new UUID (Rejoin, which also drops whatever the old UUID holds). So after
 * the merge the count is what runs, none leaked and none counted twice; for a while it may exceed
 * the limit by the calls the cut-off side started, which are really running. To make the re-
 * registration exact, this member keeps the units its runs hold by key (granted minus given back),
 * and an acquisition or release and the switch of UUIDs exclude each other (a read-write lock:
 * round trips run concurrently, the switch alone).
 */
/** Cluster-wide per-tool admission with leases. Thread-safe. Internal; may change at any time. */
public final class ClusterAdmission implements AdmissionControl, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ClusterAdmission.class.getName());

  private final IMap<String, Permits> permits;
  private volatile String member;
  private final ClusterLimits limits;
  private final IntSupplier memberCount;
  private final Map<String, Set<RunAdmission>> waiting = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
  private final UUID listener;
  private final AtomicLong callbackFailures = new AtomicLong();
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  /** The last value of each key seen by the listener: who waits. */
  private final Map<String, Permits> latest = new ConcurrentHashMap<>();

  /** Runs of this member refused a key and not granted it since, by key. */
  private final Map<String, Set<RunAdmission>> refusedRuns = new ConcurrentHashMap<>();

  private final AtomicLong granted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong handedOff = new AtomicLong();
  private final AtomicLong rejoins = new AtomicLong();
  private final AtomicLong prefetched = new AtomicLong();

  /** Units held by the runs of this member, by key: granted minus given back. */
  private final Map<String, Integer> local = new ConcurrentHashMap<>();

  /** Round trips (read) against the switch of this member's UUID after a merge (write). */
  private final ReentrantReadWriteLock lease = new ReentrantReadWriteLock();

  /**
   * Admission over the given map.
   *
   * @param permits the permits map
   * @param member this member's UUID
   * @param limits cluster-wide limits of tools, lanes and named resources
   * @param memberCount the members this member sees now (for error messages)
   */
  public ClusterAdmission(
      IMap<String, Permits> permits, UUID member, ClusterLimits limits, IntSupplier memberCount) {
    this.permits = Objects.requireNonNull(permits, "permits");
    this.memberCount = Objects.requireNonNull(memberCount, "memberCount");
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

  /**
   * Counters: {@code granted} and {@code refused} (admission round trips by their answer), {@code
   * handedOff} (calls that started on a permit a call of the same run had just finished with, with
   * no round trip), {@code rejoins} (merges after a split in which this member re-registered its
   * permits), {@code prefetched} (permits a run's burst requested without waiting, for its calls
   * refused meanwhile; see the class comment).
   */
  public Map<String, Long> counters() {
    return Map.of(
        "granted",
        granted.get(),
        "refused",
        refused.get(),
        "handedOff",
        handedOff.get(),
        "rejoins",
        rejoins.get(),
        "prefetched",
        prefetched.get());
  }

  /**
   * Whether this member has seen (through its entry listener) another member waiting for a key: a
   * tool's name, {@code lane:NAME} or {@code resource:NAME}. While it has, it hands off nothing of
   * that key.
   */
  public boolean othersWaitingSeen(String key) {
    Permits last = latest.get(key);
    return last != null && last.othersWaiting(member);
  }

  /** Failures of {@code capacityAvailable} callbacks, logged and ignored. */
  public long callbackFailures() {
    return callbackFailures.get();
  }

  private void updated(EntryEvent<String, Permits> event) {
    Permits before = event.getOldValue();
    Permits after = event.getValue();
    if (after != null) {
      latest.put(event.getKey(), after);
    }
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

    /** Ids of this run's calls refused and not offered again since, by tool; only its events. */
    private final Map<String, Set<String>> refusedCalls = new HashMap<>();

    /** Permits handed off for the next call of a tool (counted in held), by tool. */
    private final Map<String, Integer> spare = new HashMap<>();

    /** How many of a tool's spare permits came from a request (not a hand-off); only events. */
    private final Map<String, Integer> fromRequest = new HashMap<>();

    /** Set by stopping(): the run offers no more calls, so nothing is handed off. */
    private boolean stopped;

    /** What one handed-off call holds, by tool. */
    private final Map<String, List<ClusterLimits.Demand>> spareDemands = new HashMap<>();

    RunAdmission(String runId, Runnable capacityAvailable) {
      this.runId = runId;
      this.capacityAvailable = capacityAvailable;
    }

    @Override
    public boolean tryAcquire(PendingCall call) {
      readAnswers();
      String tool = call.tool().name();
      RuntimeException requestFailed = failedCalls.remove(call.callId());
      Set<String> offeredAgain = refusedCalls.get(tool);
      if (offeredAgain != null) {
        offeredAgain.remove(call.callId());
      }
      List<ClusterLimits.Demand> demands = limits.demands(call.tool());
      if (demands.isEmpty()) {
        return true;
      }
      if (requestFailed != null) {
        throw failed(call, demands.get(0), requestFailed);
      }
      int handed = spare.getOrDefault(tool, 0);
      if (handed > 0) { // the permits of a call of this tool that just ended: already held
        if (handed == 1) {
          spare.remove(tool);
        } else {
          spare.put(tool, handed - 1);
        }
        if (fromRequest.getOrDefault(tool, 0) > 0) {
          fromRequest.merge(tool, -1, Integer::sum);
        } else {
          handedOff.incrementAndGet();
        }
        return true;
      }
      for (ClusterLimits.Demand d : demands) {
        Long refused = refusedAt.get(d.key());
        if (refused != null && refused == generation(d.key()).get()) {
          refusedCalls.computeIfAbsent(tool, k -> new HashSet<>()).add(call.callId());
          return false; // refused since the last release: no round trip
        }
      }
      if (demands.size() == 1 && demands.get(0).units() == 1) {
        return acquireBurst(call, tool, demands);
      }
      List<ClusterLimits.Demand> taken = new ArrayList<>(demands.size());
      for (ClusterLimits.Demand d : demands) { // in key order, all or none
        long before = generation(d.key()).get();
        // wait before asking: a release between a refusal and the registration is not missed
        waiting.computeIfAbsent(d.key(), k -> ConcurrentHashMap.newKeySet()).add(this);
        boolean granted;
        try {
          granted = acquire(d, 1) > 0;
        } catch (RuntimeException e) {
          taken.forEach(t -> give(t.key(), t.units()));
          throw failed(call, d, e);
        }
        if (!granted) {
          refused.incrementAndGet();
          refusedAt.put(d.key(), before);
          refusedRuns.computeIfAbsent(d.key(), k -> ConcurrentHashMap.newKeySet()).add(this);
          taken.forEach(t -> give(t.key(), t.units())); // none: give back what this call took
          refusedCalls.computeIfAbsent(tool, k -> new HashSet<>()).add(call.callId());
          return false;
        }
        ClusterAdmission.this.granted.incrementAndGet();
        taken.add(d);
      }
      for (ClusterLimits.Demand d : taken) {
        held.merge(d.key(), d.units(), Integer::sum);
        refusedAt.remove(d.key());
        Set<RunAdmission> runs = refusedRuns.get(d.key());
        if (runs != null) {
          runs.remove(this);
        }
      }
      return true;
    }

    /** Keys granted by a round trip of this run since its last release of them; only events. */
    private final Set<String> inBurst = new HashSet<>();

    /** Keys with a request out (see the class comment); only its events. */
    private final Set<String> requested = new HashSet<>();

    /** Calls whose request failed, by call id: they fail when offered again; only its events. */
    private final Map<String, RuntimeException> failedCalls = new HashMap<>();

    /** Answers of requests, from Hazelcast's threads; read by the run's events. */
    private final java.util.Queue<Answer> answers =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Set by close(), under the answers' lock: later answers give their permits back at once. */
    private boolean closed;

    /** One permit of one key (see the class comment). */
    private boolean acquireBurst(
        PendingCall call, String tool, List<ClusterLimits.Demand> demands) {
      ClusterLimits.Demand d = demands.get(0);
      long before = generation(d.key()).get();
      // wait before asking: a release between a refusal and the registration is not missed
      waiting.computeIfAbsent(d.key(), k -> ConcurrentHashMap.newKeySet()).add(this);
      if (requested.contains(d.key())) {
        refusedCalls.computeIfAbsent(tool, k -> new HashSet<>()).add(call.callId());
        return false; // the request out is for this call too
      }
      if (inBurst.contains(d.key())) { // a further call of the burst: ask for all, do not wait
        int room = Math.max(1, d.limit() - held.getOrDefault(d.key(), 0));
        requested.add(d.key());
        refusedCalls.computeIfAbsent(tool, k -> new HashSet<>()).add(call.callId());
        request(tool, demands, d, room, before);
        return false;
      }
      int got;
      try {
        got = acquire(d, 1);
      } catch (RuntimeException e) {
        throw failed(call, d, e);
      }
      if (got == 0) {
        refusedHere(tool, d, before);
        refusedCalls.computeIfAbsent(tool, k -> new HashSet<>()).add(call.callId());
        return false;
      }
      ClusterAdmission.this.granted.incrementAndGet();
      grantedHere(d, got);
      inBurst.add(d.key());
      return true;
    }

    private void refusedHere(String tool, ClusterLimits.Demand d, long before) {
      refused.incrementAndGet();
      refusedAt.put(d.key(), before);
      refusedRuns.computeIfAbsent(d.key(), k -> ConcurrentHashMap.newKeySet()).add(this);
    }

    private void grantedHere(ClusterLimits.Demand d, int got) {
      held.merge(d.key(), got, Integer::sum);
      refusedAt.remove(d.key());
      Set<RunAdmission> runs = refusedRuns.get(d.key());
      if (runs != null) {
        runs.remove(this);
      }
    }

    /** Sends a request for up to {@code max} permits; its answer is queued for the run. */
    private void request(
        String tool, List<ClusterLimits.Demand> demands, ClusterLimits.Demand d, int max, long g) {
      Thread.ofVirtual()
          .name("parallax-admission-" + runId)
          .start(
              () -> {
                Answer answer;
                try {
                  answer = new Answer(tool, demands, d, acquire(d, max), g, null);
                } catch (Throwable e) { // an Error too must reach the run, or its calls would wait
                  RuntimeException cause =
                      e instanceof RuntimeException r
                          ? r
                          : new IllegalStateException("the permit request failed: " + e, e);
                  answer = new Answer(tool, demands, d, 0, g, cause);
                }
                synchronized (answers) {
                  if (closed) {
                    if (answer.got() > 0) {
                      give(d.key(), answer.got()); // the run is gone
                    }
                    return;
                  }
                  answers.add(answer);
                }
                ClusterAdmission.this.notify(this);
              });
    }

    /** Takes in the answers of requests: permits become spare, refusals and failures noted. */
    private void readAnswers() {
      Answer a;
      while ((a = answers.poll()) != null) {
        requested.remove(a.demand().key());
        Set<String> calls = refusedCalls.getOrDefault(a.tool(), Set.of());
        if (a.error() != null) {
          for (String id : calls) {
            failedCalls.put(id, a.error());
          }
          inBurst.remove(a.demand().key()); // the next call asks for itself
        } else if (a.got() == 0) {
          refusedHere(a.tool(), a.demand(), a.generation());
        } else {
          ClusterAdmission.this.granted.incrementAndGet();
          prefetched.addAndGet(a.got());
          grantedHere(a.demand(), a.got());
          spare.merge(a.tool(), a.got(), Integer::sum);
          fromRequest.merge(a.tool(), a.got(), Integer::sum);
          spareDemands.put(a.tool(), a.demands());
          trimSpare(a.tool()); // beyond the refused calls: back at once
        }
      }
    }

    /** Gives back the spare permits of the tool beyond its refused calls. */
    private void trimSpare(String tool) {
      int n = spare.getOrDefault(tool, 0);
      Set<String> calls = refusedCalls.get(tool);
      int excess = n - (calls == null ? 0 : calls.size());
      if (excess <= 0) {
        return;
      }
      if (excess == n) {
        spare.remove(tool);
      } else {
        spare.put(tool, n - excess);
      }
      fromRequest.computeIfPresent(tool, (k, r) -> r - excess <= 0 ? null : r - excess);
      giveBack(tool, excess);
    }

    /**
     * Whether the permits of a call of this tool that just ended may go to this run's next call of
     * it: the run has more refused calls of the tool than permits handed off, and nobody else (no
     * other member, no other run here) waits for any of the keys.
     */
    private boolean handOff(String tool, List<ClusterLimits.Demand> demands) {
      Set<String> waitingCalls = refusedCalls.get(tool);
      if (stopped || waitingCalls == null || waitingCalls.size() <= spare.getOrDefault(tool, 0)) {
        return false;
      }
      for (ClusterLimits.Demand d : demands) {
        if (held.getOrDefault(d.key(), 0) < d.units()) {
          return false;
        }
        Permits last = latest.get(d.key());
        if (last != null && last.othersWaiting(member)) {
          return false;
        }
        Set<RunAdmission> runs = refusedRuns.get(d.key());
        if (runs != null && !runs.isEmpty() && !(runs.size() == 1 && runs.contains(this))) {
          return false;
        }
      }
      return true;
    }

    /** Gives back the permits handed off and not used. */
    private void giveSpare() {
      spare.forEach(this::giveBack);
      spare.clear();
      fromRequest.clear();
    }

    /** Gives back the permits of {@code calls} handed-off calls of {@code tool} this run holds. */
    private void giveBack(String tool, int calls) {
      for (ClusterLimits.Demand d : spareDemands.get(tool)) {
        int units = Math.min(held.getOrDefault(d.key(), 0), calls * d.units());
        if (units > 0) {
          int left = held.get(d.key()) - units;
          if (left <= 0) {
            held.remove(d.key());
          } else {
            held.put(d.key(), left);
          }
          give(d.key(), units);
        }
      }
    }

    @Override
    public void release(PendingCall call, AttemptSample sample) {
      List<ClusterLimits.Demand> demands = limits.demands(call.tool());
      String tool = call.tool().name();
      readAnswers();
      for (ClusterLimits.Demand d : demands) {
        inBurst.remove(d.key()); // the burst is over: the next call asks for itself
      }
      trimSpare(tool);
      // the engine offers a refused call of the tool that ran: hand off only when that is this one
      if (!demands.isEmpty() && tool.equals(sample.tool()) && handOff(tool, demands)) {
        spare.merge(tool, 1, Integer::sum);
        spareDemands.put(tool, demands);
        return;
      }
      for (ClusterLimits.Demand d : demands) {
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
    public void stopping() {
      readAnswers();
      stopped = true;
      giveSpare(); // no more calls will be offered
    }

    @Override
    public void close() {
      synchronized (answers) {
        closed = true;
      }
      readAnswers(); // what came before the close: given back with the rest
      spare.clear(); // counted in held
      fromRequest.clear();
      held.forEach(ClusterAdmission.this::give);
      held.clear();
      for (Set<RunAdmission> runs : waiting.values()) {
        runs.remove(this);
      }
      refusedRuns.forEach( // keys refused and never granted since
          (key, runs) -> {
            if (runs.remove(this) && runs.isEmpty()) { // no run here waits: others may hand off
              stopWaiting(key);
            }
          });
    }
  }

  /**
   * Takes {@code d.units()} of one key (all or none), or with {@code upTo} above 1 (single units
   * only) as many as are free up to {@code upTo}; notes them as held here; excluded from a switch
   * of UUIDs. Answers the units taken.
   */
  private int acquire(ClusterLimits.Demand d, int upTo) {
    lease.readLock().lock();
    try {
      int got;
      if (upTo > 1) {
        got = permits.executeOnKey(d.key(), new AcquireUpTo(member, d.limit(), upTo));
      } else {
        boolean ok = permits.executeOnKey(d.key(), new AcquirePermit(member, d.limit(), d.units()));
        got = ok ? d.units() : 0;
      }
      if (got > 0) {
        local.merge(d.key(), got, Integer::sum);
      }
      return got;
    } finally {
      lease.readLock().unlock();
    }
  }

  /** The exception for a round trip that failed: a split-brain refusal, or another failure. */
  private RuntimeException failed(PendingCall call, ClusterLimits.Demand d, RuntimeException e) {
    SplitBrainProtectionException split = splitBrain(e);
    if (split != null) {
      return new SplitBrainException(
          "cluster admission refused a permit of '"
              + d.key()
              + "' for call "
              + call.callId()
              + ": split-brain protection - this member sees "
              + memberCount.getAsInt()
              + " member(s), fewer than the minimum, so it may be cut off from members that"
              + " keep admitting up to the limit; calls needing cluster-wide permits fail"
              + " here until it sees enough members ("
              + split.getMessage()
              + ")",
          split);
    }
    return new IllegalStateException(
        "cluster admission could not ask for a permit of '" + d.key() + "': " + e, e);
  }

  private static @Nullable SplitBrainProtectionException splitBrain(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SplitBrainProtectionException s) {
        return s;
      }
    }
    return null;
  }

  /**
   * After a split-brain merge: this member's UUID is now {@code newMember} and the permits map is
   * the other side's. Re-registers the units this member's runs hold under the new UUID (dropping
   * what the old one holds), then every waiting run offers its refused calls again.
   */
  public void rejoined(String newMember) {
    lease.writeLock().lock();
    try {
      String old = member;
      if (old.equals(newMember)) {
        return;
      }
      member = newMember;
      latest.clear(); // the other side's waiting members are learnt again from events
      Map<String, Integer> units = new HashMap<>();
      local.forEach(
          (key, n) -> {
            if (n > 0) {
              units.put(key, n);
            }
          });
      Rejoin rejoin = new Rejoin(old, newMember, units);
      Set<String> seen = permits.executeOnEntries(rejoin).keySet();
      for (String key : units.keySet()) {
        if (!seen.contains(key)) {
          permits.executeOnKey(key, rejoin);
        }
      }
      rejoins.incrementAndGet();
      LOG.info(
          "cluster admission: merged after a split; permits of running calls re-registered as"
              + " member "
              + newMember
              + " (was "
              + old
              + "): "
              + units);
    } finally {
      lease.writeLock().unlock();
      generations.values().forEach(AtomicLong::incrementAndGet);
      for (Set<RunAdmission> runs : waiting.values()) {
        for (RunAdmission run : runs) {
          notify(run);
        }
      }
    }
  }

  /** The answer of a request sent by a run. */
  private record Answer(
      String tool,
      List<ClusterLimits.Demand> demands,
      ClusterLimits.Demand demand,
      int got,
      long generation,
      @Nullable RuntimeException error) {}

  private void stopWaiting(String key) {
    try {
      permits.submitToKey(key, new StopWaiting(member));
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "waiting for " + key + " not withdrawn; the lease ends it", e);
    }
  }

  /**
   * Gives permits back without waiting for the answer: the run's events are serialized, and a
   * release that waited a round trip would halve how many calls a run can admit per second. The
   * entry listener tells every member when it has landed.
   */
  private void give(String tool, int count) {
    lease.readLock().lock();
    try {
      local.computeIfPresent(tool, (k, n) -> n - count <= 0 ? null : n - count);
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
    } finally {
      lease.readLock().unlock();
    }
  }
}
