package dev.parallax.core.call;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Calls with dependencies: a call runs once every call it depends on has succeeded, and can read
 * their results ({@link ToolCall#derived} or {@link dev.parallax.core.tool.ToolContext
 * #dependencies()}). When a dependency does not succeed, its dependents are skipped.
 *
 * <p>Validated when built: ids are unique, every dependency exists and there is no cycle. Immutable
 * and thread-safe; the builder is not thread-safe.
 */
public final class CallGraph {

  /** One call of the graph and the ids of the calls it depends on. */
  public record Node(ToolCall<?, ?> call, List<String> dependsOn) {
    /** Copies the dependency list. */
    public Node {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(dependsOn, "dependsOn");
      dependsOn = List.copyOf(dependsOn);
    }
  }

  private final ImmutableList<Node> nodes;

  private CallGraph(List<Node> nodes) {
    this.nodes = ImmutableList.copyOf(nodes);
  }

  /** Starts an empty graph. */
  public static Builder builder() {
    return new Builder();
  }

  /** The calls in the order they were added. */
  public List<Node> nodes() {
    return nodes;
  }

  /** Number of calls. */
  public int size() {
    return nodes.size();
  }

  /** Collects the calls of a graph. */
  public static final class Builder {
    private final List<Node> nodes = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a call that runs after the given calls succeed.
     *
     * @throws IllegalArgumentException if the call or a dependency id is null
     */
    public Builder add(ToolCall<?, ?> call, String... dependsOn) {
      return add(call, List.of(checkIds(call, dependsOn)));
    }

    /** Adds a call that runs after the given calls succeed. */
    public Builder add(ToolCall<?, ?> call, List<String> dependsOn) {
      if (call == null) {
        throw new IllegalArgumentException("a graph call must not be null");
      }
      Objects.requireNonNull(dependsOn, "dependsOn");
      for (String id : dependsOn) {
        if (id == null) {
          throw new IllegalArgumentException("call '" + call.id() + "' has a null dependency id");
        }
      }
      nodes.add(new Node(call, dependsOn));
      return this;
    }

    /**
     * Validates and builds the graph.
     *
     * @throws IllegalArgumentException naming the duplicate id, the unknown dependency or the calls
     *     on a cycle
     */
    public CallGraph build() {
      validate(nodes);
      return new CallGraph(nodes);
    }

    private static String[] checkIds(ToolCall<?, ?> call, String[] ids) {
      Objects.requireNonNull(ids, "dependsOn");
      for (String id : ids) {
        if (id == null) {
          throw new IllegalArgumentException(
              "call '" + (call == null ? null : call.id()) + "' has a null dependency id");
        }
      }
      return ids;
    }
  }

  /**
   * Checks ids, dependencies and cycles of a list of nodes.
   *
   * @throws IllegalArgumentException on the first problem found
   */
  static void validate(List<Node> nodes) {
    Map<String, Node> byId = HashMap.newHashMap(nodes.size());
    boolean anyDependency = false;
    for (Node node : nodes) {
      if (byId.putIfAbsent(node.call().id(), node) != null) {
        throw new IllegalArgumentException("duplicate call id '" + node.call().id() + "'");
      }
      anyDependency |= !node.dependsOn().isEmpty();
    }
    if (!anyDependency) {
      return; // nothing more can be wrong with independent calls
    }
    byId = new LinkedHashMap<>(byId.size());
    for (Node node : nodes) {
      byId.put(node.call().id(), node); // in plan order, so a reported cycle is stable
    }
    for (Node node : nodes) {
      for (String dependency : node.dependsOn()) {
        if (!byId.containsKey(dependency)) {
          throw new IllegalArgumentException(
              "call '" + node.call().id() + "' depends on unknown call '" + dependency + "'");
        }
      }
    }
    List<String> cycle = findCycle(byId);
    if (!cycle.isEmpty()) {
      throw new IllegalArgumentException("dependency cycle: " + describeCycle(cycle));
    }
  }

  /** Ids shown at each end of a long cycle. */
  private static final int CYCLE_ENDS = 5;

  /**
   * A cycle for a message, bounded: {@code a -> b -> a} when short; when long, the first and last
   * few ids around {@code … N calls …}, so a cycle of a million calls is still one short line.
   *
   * @param cycle the ids along the cycle, the first repeated at the end
   */
  static String describeCycle(List<String> cycle) {
    int calls = cycle.size() - 1;
    if (cycle.size() <= 2 * CYCLE_ENDS + 2) {
      return String.join(" -> ", cycle);
    }
    return calls
        + " calls: "
        + String.join(" -> ", cycle.subList(0, CYCLE_ENDS))
        + " -> … "
        + (cycle.size() - 2 * CYCLE_ENDS)
        + " calls … -> "
        + String.join(" -> ", cycle.subList(cycle.size() - CYCLE_ENDS, cycle.size()));
  }

  /*
   * Iterative depth-first search with three colours: a dependency edge into a node that is still
   * on the stack (GREY) closes a cycle, which is read back from the stack.
   */
  private static List<String> findCycle(Map<String, Node> byId) {
    Map<String, Integer> colour = new HashMap<>(); // absent = white, 1 = grey, 2 = black
    for (String root : byId.keySet()) {
      if (colour.containsKey(root)) {
        continue;
      }
      List<String> stack = new ArrayList<>();
      List<Integer> next = new ArrayList<>();
      stack.add(root);
      next.add(0);
      colour.put(root, 1);
      while (!stack.isEmpty()) {
        int top = stack.size() - 1;
        String id = stack.get(top);
        List<String> deps = byId.get(id).dependsOn();
        int i = next.get(top);
        if (i == deps.size()) {
          colour.put(id, 2);
          stack.remove(top);
          next.remove(top);
          continue;
        }
        next.set(top, i + 1);
        String dep = deps.get(i);
        Integer c = colour.get(dep);
        if (c == null) {
          colour.put(dep, 1);
          stack.add(dep);
          next.add(0);
        } else if (c == 1) {
          List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(dep), stack.size()));
          cycle.add(dep);
          return cycle;
        }
      }
    }
    return List.of();
  }
}
