package dev.parallax.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.parallax.cluster.internal.Cached;
import dev.parallax.cluster.internal.ClusterAdmission;
import dev.parallax.cluster.internal.ClusterCache;
import dev.parallax.cluster.internal.ClusterLimits;
import dev.parallax.cluster.internal.ClusterMembers;
import dev.parallax.cluster.internal.ClusterRunner;
import dev.parallax.cluster.internal.Names;
import dev.parallax.cluster.internal.Permits;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.tool.ToolRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One member of a Parallax cluster: an embedded Hazelcast member and the seams that make a {@code
 * ToolExecutor} on it share the cluster's limits, results and work.
 *
 * <ul>
 *   <li>{@link #admissionControl()}: per-tool, per-lane and per-named-resource limits counted
 *       across all members (a tool that is not concurrency-safe gets 1); a member's permits are its
 *       lease and end when it leaves, so a crash never leaks capacity.
 *   <li>{@link #resultCache()}: results of tools that are cacheable and idempotent, shared by the
 *       members with a per-tool TTL and a near cache; an identical call computing on another member
 *       is awaited, not run again.
 *   <li>{@link #callRunner()}: runs attempts on the member with the least work this member has sent
 *       it, by tool name and JSON arguments (every member registers the same tools); when that
 *       member leaves mid-call, an idempotent call runs again on a survivor and a non-idempotent
 *       one fails with a {@link MemberLostException}.
 * </ul>
 *
 * <p>Split brain: with {@link ParallaxClusterBuilder#splitBrainProtection} a member that finds
 * itself on the minority side of a network partition fails calls that need cluster-wide permits
 * with a {@link SplitBrainException} instead of admitting up to the full limit next to the
 * majority. When the partition heals, the smaller side merges into the larger one; its members
 * re-register the permits their running calls hold (under the new UUID Hazelcast gives a merged
 * member), so no permit is leaked or counted twice.
 *
 * <p>Start one with {@link #builder()}; {@link #close()} leaves the cluster (and shuts the member
 * down if this object started it). Thread-safe.
 */
public final class ParallaxCluster implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ParallaxCluster.class.getName());

  private final HazelcastInstance instance;
  private final boolean owned;
  private final ClusterAdmission admission;
  private final ClusterCache cache;
  private final ClusterRunner runner;
  private final UUID membershipListener;
  private final UUID lifecycleListener;

  ParallaxCluster(
      HazelcastInstance instance,
      boolean owned,
      ToolRegistry tools,
      ClusterLimits limits,
      Map<String, Duration> ttls,
      Duration defaultTtl) {
    this.instance = instance;
    this.owned = owned;
    instance.getUserContext().put(Names.TOOLS, tools);
    UUID me = instance.getCluster().getLocalMember().getUuid();
    this.admission =
        new ClusterAdmission(
            instance.<String, Permits>getMap(Names.PERMITS),
            me,
            limits,
            () -> instance.getCluster().getMembers().size());
    this.cache =
        new ClusterCache(
            instance.<String, Cached>getMap(Names.CACHE),
            instance.<String, String>getMap(Names.IN_FLIGHT),
            me,
            ttls,
            defaultTtl);
    this.runner =
        new ClusterRunner(instance.getCluster(), instance.getExecutorService(Names.CALLS), tools);
    this.membershipListener =
        instance
            .getCluster()
            .addMembershipListener(
                new ClusterMembers(
                    uuid -> {
                      if (!instance.getLifecycleService().isRunning()) {
                        return; // this member is going too
                      }
                      admission.releaseMember(uuid);
                      cache.releaseMember(uuid);
                    }));
    this.lifecycleListener =
        instance
            .getLifecycleService()
            .addLifecycleListener(
                event -> {
                  if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                    Thread.ofVirtual().name("parallax-rejoin").start(this::rejoined);
                  }
                });
  }

  /** After a split-brain merge (new UUID, the other side's data): re-registers the permits. */
  private void rejoined() {
    try {
      admission.rejoined(instance.getCluster().getLocalMember().getUuid().toString());
    } catch (Throwable e) {
      LOG.log(
          Level.WARNING,
          "could not re-register this member's permits after a split-brain merge; they are"
              + " uncounted until its running calls end",
          e);
    }
  }

  /** A builder of a member; see {@link ParallaxClusterBuilder} for the defaults. */
  public static ParallaxClusterBuilder builder() {
    return new ParallaxClusterBuilder();
  }

  /**
   * Cluster-wide per-tool admission, to pass to {@code ToolExecutor.Builder.admissionControl}. The
   * limits are those given to the builder's {@link ParallaxClusterBuilder#toolLimit toolLimit},
   * {@link ParallaxClusterBuilder#laneLimit laneLimit} and {@link
   * ParallaxClusterBuilder#resourceLimit resourceLimit}: a call starts only when it holds all of
   * them at once (taken in key order; if one is refused, those taken are given back), counted
   * across all members; a tool that is not concurrency-safe gets 1; other tools are not limited
   * here. The executor applies its own per-run limits as well. Asking for a permit is one round
   * trip to the member that owns the tool's partition; a run's burst of calls of a tool costs two
   * (the first call's, then one request for the rest, sent without waiting).
   */
  public AdmissionControl admissionControl() {
    return admission;
  }

  /**
   * The shared result cache with single flight across members, to pass to {@code
   * ToolExecutor.Builder.resultCache}. Caches tools that are cacheable and idempotent, whose values
   * are {@link java.io.Serializable} (others run and are reported {@code NOT_CACHED}).
   */
  public ResultCache resultCache() {
    return cache;
  }

  /**
   * The distributed call runner, to pass to {@code ToolExecutor.Builder.runner}. Calls of
   * registered tools with inputs known up front run on the least loaded member; calls with derived
   * inputs run here. Values and exceptions travel between members, so they must be serializable.
   * Attempts that run on other members are not seen by the {@link #resultCache()} (the engine's
   * cache wraps only attempts that run here).
   */
  public CallRunner callRunner() {
    return runner;
  }

  /** The Hazelcast member. */
  public HazelcastInstance hazelcast() {
    return instance;
  }

  /** This member's UUID. */
  public UUID memberId() {
    return instance.getCluster().getLocalMember().getUuid();
  }

  /** Members in the cluster now, this one included. */
  public int memberCount() {
    return instance.getCluster().getMembers().size();
  }

  /** Permits of the tool held across the cluster now. */
  public int permitsHeld(String tool) {
    return admission.held(tool);
  }

  /** Units of the named resource held across the cluster now. */
  public int resourceHeld(String resource) {
    return admission.held(ClusterLimits.RESOURCE + resource);
  }

  /** Slots of the lane held across the cluster now. */
  public int laneHeld(String lane) {
    return admission.held(ClusterLimits.LANE + lane);
  }

  /** Counters of the shared cache: hits, misses, waits for other members, uncacheable. */
  public Map<String, Long> cacheCounters() {
    return Map.of(
        "hits", cache.hits(),
        "misses", cache.misses(),
        "waits", cache.waits(),
        "uncacheable", cache.uncacheable());
  }

  /**
   * Counters of the runner: attempts sent to members, idempotent ones sent again after their member
   * left, non-idempotent ones failed because their member left, attempts run locally.
   */
  public Map<String, Long> runnerCounters() {
    return Map.of(
        "sent", runner.sent(),
        "rerun", runner.rerun(),
        "lost", runner.lost(),
        "local", runner.local());
  }

  /**
   * Counters of this member's admission: {@code granted} and {@code refused} (round trips to the
   * permits map, by answer), {@code handedOff} (calls that started on the permits a call of the
   * same run and tool had just finished with, without a round trip; done only while no other member
   * or run waits for them) and {@code rejoins} (split-brain merges after which this member
   * re-registered its permits).
   */
  public Map<String, Long> admissionCounters() {
    return admission.counters();
  }

  /** Calls this member has sent to the given member and not yet got back. */
  public int sentTo(Member member) {
    return runner.placement().load(member.getUuid());
  }

  /**
   * Leaves the cluster: removes the listeners and, if this object started the member, shuts it down
   * gracefully (its permits are dropped by the survivors). Idempotent.
   */
  @Override
  public void close() {
    try {
      if (instance.getLifecycleService().isRunning()) {
        instance.getCluster().removeMembershipListener(membershipListener);
        instance.getLifecycleService().removeLifecycleListener(lifecycleListener);
        admission.close();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "listeners not removed; the member is going", e);
    } finally {
      cache.close();
      if (owned) {
        instance.shutdown();
      }
    }
  }
}
