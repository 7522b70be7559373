package dev.parallax.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import dev.parallax.cluster.internal.ClusterLimits;
import dev.parallax.cluster.internal.Names;
import dev.parallax.core.tool.ToolRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Configures and starts a member of a Parallax cluster. Defaults: cluster name {@code parallax},
 * port 5701 (the next free one of the 20 from there), joining the members at {@code 127.0.0.1:5701}
 * to {@code 127.0.0.1:5720} over TCP/IP (multicast and auto-detection off), bound to 127.0.0.1,
 * Hazelcast's phone-home off, no CP subsystem, no per-tool, lane or resource limits, a cache TTL of
 * 10 minutes, 64 threads for calls sent by other members, split-brain protection off (a warning is
 * logged when limits are set without it). Not thread-safe; the built member is.
 */
public final class ParallaxClusterBuilder {

  /** Default of {@link #defaultCacheTtl}: 10 minutes. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(10);

  /** Default of {@link #callThreads}. */
  public static final int DEFAULT_CALL_THREADS = 64;

  private static final Logger LOG = Logger.getLogger(ParallaxClusterBuilder.class.getName());

  private String clusterName = "parallax";
  private String bindAddress = "127.0.0.1";
  private int port = 5701;
  private int portCount = 20;
  private final List<String> members = new ArrayList<>();
  private @Nullable ToolRegistry tools;
  private final Map<String, Integer> limits = new LinkedHashMap<>();
  private final Map<String, Integer> resources = new LinkedHashMap<>();
  private final Map<String, Integer> lanes = new LinkedHashMap<>();
  private final Map<String, String> toolLanes = new LinkedHashMap<>();
  private final Map<String, String> capabilityLanes = new LinkedHashMap<>();
  private final Map<String, Duration> ttls = new LinkedHashMap<>();
  private Duration defaultTtl = DEFAULT_CACHE_TTL;
  private int callThreads = DEFAULT_CALL_THREADS;
  private final Map<String, String> properties = new HashMap<>();
  private @Nullable HazelcastInstance instance;
  private int splitBrainMinimum;

  ParallaxClusterBuilder() {}

  /** The cluster's name: members join only a cluster of the same name. Default {@code parallax}. */
  public ParallaxClusterBuilder clusterName(String name) {
    this.clusterName = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * The address the member binds to and announces; default {@code 127.0.0.1}. Give the host's
   * address for members on several hosts.
   */
  public ParallaxClusterBuilder bindAddress(String address) {
    this.bindAddress = Objects.requireNonNull(address, "address");
    return this;
  }

  /**
   * The first port tried, and how many after it (the member takes the first free one); default 5701
   * and 20.
   *
   * @throws IllegalArgumentException if the port is outside 1..65535 or the count below 1
   */
  public ParallaxClusterBuilder port(int port, int count) {
    if (port < 1 || port > 65535 || count < 1 || port + count - 1 > 65535) {
      throw new IllegalArgumentException(
          "port must be in 1..65535 with count >= 1, was " + port + " and " + count);
    }
    this.port = port;
    this.portCount = count;
    return this;
  }

  /**
   * Addresses of members to join, such as {@code 10.0.0.5:5701}; default the bind address with
   * every port of the range.
   */
  public ParallaxClusterBuilder members(String... addresses) {
    for (String a : addresses) {
      members.add(Objects.requireNonNull(a, "address"));
    }
    return this;
  }

  /** The tools of this member; every member registers the same tools. Required. */
  public ParallaxClusterBuilder tools(ToolRegistry tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
    return this;
  }

  /**
   * Most calls of the tool running at once across the whole cluster. Every member should give the
   * same limits.
   *
   * @throws IllegalArgumentException if below 1
   */
  public ParallaxClusterBuilder toolLimit(String tool, int limit) {
    Objects.requireNonNull(tool, "tool");
    if (limit < 1) {
      throw new IllegalArgumentException("limit of tool '" + tool + "' must be >= 1, was " + limit);
    }
    limits.put(tool, limit);
    return this;
  }

  /**
   * Capacity of a named resource across the whole cluster: the calls running at once on all members
   * together hold at most {@code capacity} units of it. A tool declares the units a call holds with
   * {@code Tools.named(..).resources(Map.of("db", 1))}; a call that needs more than the capacity
   * fails. Every member should give the same capacities. Resources without a capacity here are not
   * limited across the cluster.
   *
   * @throws IllegalArgumentException if below 1
   */
  public ParallaxClusterBuilder resourceLimit(String resource, int capacity) {
    Objects.requireNonNull(resource, "resource");
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "capacity of resource '" + resource + "' must be >= 1, was " + capacity);
    }
    resources.put(resource, capacity);
    return this;
  }

  /**
   * Most calls of a lane running at once across the whole cluster. Tools are put in lanes with
   * {@link #toolLane} and {@link #capabilityLane}. (The cluster keeps a lane's maximum, not the
   * minimum a {@code SharedScheduler} reserves for it within one JVM.)
   *
   * @throws IllegalArgumentException if below 1
   */
  public ParallaxClusterBuilder laneLimit(String lane, int max) {
    Objects.requireNonNull(lane, "lane");
    if (max < 1) {
      throw new IllegalArgumentException("limit of lane '" + lane + "' must be >= 1, was " + max);
    }
    lanes.put(lane, max);
    return this;
  }

  /** Puts a tool's calls in a lane (before {@link #capabilityLane}). */
  public ParallaxClusterBuilder toolLane(String tool, String lane) {
    toolLanes.put(Objects.requireNonNull(tool, "tool"), Objects.requireNonNull(lane, "lane"));
    return this;
  }

  /**
   * Puts the calls of every tool with this capability in a lane, unless {@link #toolLane} places
   * the tool; a tool with several such capabilities goes by the first in alphabetical order.
   */
  public ParallaxClusterBuilder capabilityLane(String capability, String lane) {
    capabilityLanes.put(
        Objects.requireNonNull(capability, "capability"), Objects.requireNonNull(lane, "lane"));
    return this;
  }

  /**
   * How long the tool's results stay in the shared cache.
   *
   * @throws IllegalArgumentException if not positive
   */
  public ParallaxClusterBuilder cacheTtl(String tool, Duration ttl) {
    Objects.requireNonNull(tool, "tool");
    ttls.put(tool, positive("cacheTtl of tool '" + tool + "'", ttl));
    return this;
  }

  /**
   * How long results of tools without a {@link #cacheTtl} stay in the shared cache; default {@link
   * #DEFAULT_CACHE_TTL}.
   *
   * @throws IllegalArgumentException if not positive
   */
  public ParallaxClusterBuilder defaultCacheTtl(Duration ttl) {
    this.defaultTtl = positive("defaultCacheTtl", ttl);
    return this;
  }

  /**
   * Threads of this member that run calls sent by members (its share of the work); default {@link
   * #DEFAULT_CALL_THREADS}.
   *
   * @throws IllegalArgumentException if below 1
   */
  public ParallaxClusterBuilder callThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("callThreads must be >= 1, was " + threads);
    }
    this.callThreads = threads;
    return this;
  }

  /**
   * Split-brain protection of the cluster-wide limits: a member that sees fewer than {@code
   * minimumMembers} members (itself included) refuses new permits, and the calls that need them
   * fail with a {@link SplitBrainException}, instead of admitting up to the full limit while the
   * other side of a network partition does the same. Give a majority of the fleet's expected size:
   * {@code n / 2 + 1} for {@code n} members (2 for 3, 3 for 4 or 5). Off by default (a warning is
   * logged at start when limits are set): then each side of a partition admits up to each limit.
   *
   * <p>Costs and limits: a member starting alone refuses permits until enough members have joined;
   * a member that stops seeing the others (killed members too) refuses once fewer than the minimum
   * remain; a split is noticed only when heartbeats time out ({@code
   * hazelcast.max.no.heartbeat.seconds}, default 60), and until then both sides still count
   * themselves whole. Whatever the setting, after the partition heals the smaller side merges into
   * the larger one and re-registers the permits its running calls hold, so the count is consistent
   * again (see {@link ParallaxCluster}).
   *
   * @throws IllegalArgumentException if below 2
   */
  public ParallaxClusterBuilder splitBrainProtection(int minimumMembers) {
    if (minimumMembers < 2) {
      throw new IllegalArgumentException(
          "splitBrainProtection needs a minimum of at least 2 members, was " + minimumMembers);
    }
    this.splitBrainMinimum = minimumMembers;
    return this;
  }

  /**
   * A Hazelcast property, for example {@code hazelcast.max.no.heartbeat.seconds} (how soon a silent
   * member is declared dead; Hazelcast's default 60).
   */
  public ParallaxClusterBuilder property(String name, String value) {
    properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Uses a Hazelcast member started elsewhere instead of starting one (the other network options
   * are then ignored); {@link ParallaxCluster#close()} does not shut it down. Configure it with
   * {@link #configure(Config, int, int)} for the near cache, the call threads and split-brain
   * protection (then not given to this builder).
   */
  public ParallaxClusterBuilder hazelcast(HazelcastInstance instance) {
    this.instance = Objects.requireNonNull(instance, "instance");
    return this;
  }

  /**
   * Adds Parallax's structures to a Hazelcast configuration: the near cache of the shared result
   * cache and the executor of calls sent by members, with {@code callThreads} threads; no
   * split-brain protection.
   */
  public static Config configure(Config config, int callThreads) {
    return configure(config, callThreads, 0);
  }

  /**
   * Adds Parallax's structures to a Hazelcast configuration: the near cache of the shared result
   * cache, the executor of calls sent by members with {@code callThreads} threads, the permits map
   * with its merge policy (after a split the larger side's permits are kept; the merged members
   * re-register theirs) and, if {@code splitBrainMinimum} is 2 or more, split-brain protection of
   * the permits map with that minimum (see {@link #splitBrainProtection}); 0 for none.
   *
   * @throws IllegalArgumentException if {@code splitBrainMinimum} is negative or 1
   */
  public static Config configure(Config config, int callThreads, int splitBrainMinimum) {
    if (splitBrainMinimum < 0 || splitBrainMinimum == 1) {
      throw new IllegalArgumentException(
          "splitBrainMinimum must be 0 (off) or at least 2, was " + splitBrainMinimum);
    }
    MapConfig permits =
        new MapConfig(Names.PERMITS)
            .setMergePolicyConfig(
                new MergePolicyConfig()
                    .setPolicy(DiscardMergePolicy.class.getName())
                    .setBatchSize(MergePolicyConfig.DEFAULT_BATCH_SIZE));
    if (splitBrainMinimum >= 2) {
      config.addSplitBrainProtectionConfig(
          new SplitBrainProtectionConfig(Names.PERMITS_PROTECTION, true, splitBrainMinimum)
              .setProtectOn(SplitBrainProtectionOn.READ_WRITE));
      permits.setSplitBrainProtectionName(Names.PERMITS_PROTECTION);
    }
    config.addMapConfig(permits);
    NearCacheConfig near =
        new NearCacheConfig(Names.CACHE)
            .setInvalidateOnChange(true)
            .setInMemoryFormat(InMemoryFormat.OBJECT);
    config.addMapConfig(new MapConfig(Names.CACHE).setNearCacheConfig(near));
    config.addExecutorConfig(new ExecutorConfig(Names.CALLS, callThreads).setQueueCapacity(0));
    return config;
  }

  /**
   * Starts the member (joins the cluster, or forms it if no member answers) and returns it.
   *
   * @throws IllegalStateException if no {@link #tools} were given
   */
  public ParallaxCluster start() {
    if (tools == null) {
      throw new IllegalStateException("tools(...) is required: every member runs the same tools");
    }
    ClusterLimits all = new ClusterLimits(limits, resources, lanes, toolLanes, capabilityLanes);
    if (instance != null && splitBrainMinimum > 0) {
      throw new IllegalStateException(
          "splitBrainProtection(...) cannot configure a Hazelcast member started elsewhere: give"
              + " the minimum to ParallaxClusterBuilder.configure(config, callThreads, minimum)");
    }
    if (splitBrainMinimum == 0
        && (!limits.isEmpty() || !resources.isEmpty() || !lanes.isEmpty())
        && instance == null) {
      LOG.warning(
          "split-brain protection is off: during a network partition each side of the cluster"
              + " admits up to each cluster-wide limit; set"
              + " ParallaxClusterBuilder.splitBrainProtection(n / 2 + 1) for a fleet of n members");
    }
    if (instance != null) {
      return new ParallaxCluster(instance, false, tools, all, ttls, defaultTtl);
    }
    HazelcastInstance started = Hazelcast.newHazelcastInstance(config());
    try {
      return new ParallaxCluster(started, true, tools, all, ttls, defaultTtl);
    } catch (RuntimeException | Error e) {
      started.shutdown();
      throw e;
    }
  }

  /** The member's Hazelcast configuration. */
  Config config() {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.socket.bind.any", "false");
    properties.forEach(config::setProperty);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true).setPortCount(portCount);
    network.getInterfaces().setEnabled(true).addInterface(bindAddress);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig()
        .setEnabled(true)
        .setMembers(members.isEmpty() ? portRange() : List.copyOf(members));
    return configure(config, callThreads, splitBrainMinimum);
  }

  private List<String> portRange() {
    List<String> range = new ArrayList<>();
    for (int p = port; p < port + portCount; p++) {
      range.add(bindAddress + ":" + p);
    }
    return range;
  }

  private static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }
}
