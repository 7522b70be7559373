package dev.parallax.cluster.internal;

import dev.parallax.core.tool.Tool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The cluster-wide limits and what a call of a tool must hold under them: a permit of the tool (a
 * tool limit, or 1 for a tool that is not concurrency-safe), units of each named resource it
 * declares that has a capacity (key {@code resource:NAME}), and a slot of its lane if the lane has
 * a maximum (key {@code lane:NAME}). A tool's lane is the one {@code toolLanes} gives it, else the
 * one of its first capability (alphabetically) in {@code capabilityLanes}. Immutable. Internal; may
 * change at any time.
 *
 * @param tools limits by tool name
 * @param resources capacities by resource name
 * @param lanes maxima by lane name
 * @param toolLanes lanes by tool name
 * @param capabilityLanes lanes by capability
 */
public record ClusterLimits(
    Map<String, Integer> tools,
    Map<String, Integer> resources,
    Map<String, Integer> lanes,
    Map<String, String> toolLanes,
    Map<String, String> capabilityLanes) {

  /** Prefix of the permits key of a named resource. */
  public static final String RESOURCE = "resource:";

  /** Prefix of the permits key of a lane. */
  public static final String LANE = "lane:";

  /** Copies the maps. */
  public ClusterLimits {
    tools = Map.copyOf(tools);
    resources = Map.copyOf(resources);
    lanes = Map.copyOf(lanes);
    toolLanes = Map.copyOf(toolLanes);
    capabilityLanes = Collections.unmodifiableSortedMap(new TreeMap<>(capabilityLanes));
  }

  /** Limits of tools only. */
  public static ClusterLimits ofTools(Map<String, Integer> tools) {
    return new ClusterLimits(tools, Map.of(), Map.of(), Map.of(), Map.of());
  }

  /**
   * One thing a call must hold: {@code units} of the permits key {@code key}, whose limit is {@code
   * limit}.
   */
  public record Demand(String key, int limit, int units) {}

  /**
   * What a call of the tool must hold, in key order (every member takes keys in the same order).
   *
   * @throws IllegalArgumentException if the tool needs more units of a resource than its capacity
   */
  public List<Demand> demands(Tool<?, ?> tool) {
    List<Demand> demands = new ArrayList<>();
    Integer limit = tools.get(tool.name());
    if (limit == null && !tool.spec().concurrencySafe()) {
      limit = 1;
    }
    if (limit != null) {
      demands.add(new Demand(tool.name(), limit, 1));
    }
    for (Map.Entry<String, Integer> r : tool.spec().resources().entrySet()) {
      Integer capacity = resources.get(r.getKey());
      if (capacity == null || r.getValue() <= 0) {
        continue; // not limited across the cluster
      }
      if (r.getValue() > capacity) {
        throw new IllegalArgumentException(
            "tool '"
                + tool.name()
                + "' needs "
                + r.getValue()
                + " of resource '"
                + r.getKey()
                + "', whose cluster-wide capacity is "
                + capacity);
      }
      demands.add(new Demand(RESOURCE + r.getKey(), capacity, r.getValue()));
    }
    String lane = laneOf(tool);
    if (lane != null && lanes.containsKey(lane)) {
      demands.add(new Demand(LANE + lane, lanes.get(lane), 1));
    }
    demands.sort(Comparator.comparing(Demand::key));
    return demands;
  }

  private @Nullable String laneOf(Tool<?, ?> tool) {
    String lane = toolLanes.get(tool.name());
    if (lane != null) {
      return lane;
    }
    for (Map.Entry<String, String> c : capabilityLanes.entrySet()) {
      if (tool.spec().capabilities().contains(c.getKey())) {
        return c.getValue();
      }
    }
    return null;
  }
}
