package dev.parallax.planner.internal;

import dev.parallax.core.tool.Tool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which tools stand in for which, resolved and checked once when a fallback policy is built.
 *
 * <p>A chain {@code (t0, t1, ..., tn)} says that each tool falls back to the next: {@code t0 → t1 →
 * ... → tn}. Chains join where they share a tool, so {@code (a, b)} and {@code (b, c)} give {@code
 * a → b → c}. A tool has at most one successor, and following successors must never lead back to a
 * tool already visited. The alternatives of a tool are, in order: the tools reached by following
 * its successors, then the other members of every capability group it belongs to (in the group's
 * order, groups in the order declared), each tool once and never the tool itself. Every alternative
 * must accept the input of the tool it stands in for: its input type must be assignable from that
 * tool's input type.
 *
 * <p>Immutable and thread-safe. Internal; may change at any time.
 */
public final class FallbackGraph {

  /**
   * Tools that share a capability.
   *
   * @param capability the capability tag
   * @param members the tools carrying it, in the order they are tried
   */
  public record CapabilityGroup(String capability, List<Tool<?, ?>> members) {
    /** Copies the members. */
    public CapabilityGroup {
      Objects.requireNonNull(capability, "capability");
      members = List.copyOf(members);
    }
  }

  private final Map<String, Tool<?, ?>> tools;
  private final Map<String, List<Tool<?, ?>>> alternatives;

  private FallbackGraph(Map<String, Tool<?, ?>> tools, Map<String, List<Tool<?, ?>>> alternatives) {
    this.tools = tools;
    this.alternatives = alternatives;
  }

  /**
   * Resolves chains and capability groups.
   *
   * @param chains each a primary followed by at least one alternative, no tool twice
   * @param groups capability groups, each with at least one member
   * @throws IllegalArgumentException naming the tools involved if two different tools share a name,
   *     a tool falls back to two different tools, the chains form a cycle, or an alternative does
   *     not accept the input of the tool it stands in for
   */
  public static FallbackGraph of(List<List<Tool<?, ?>>> chains, List<CapabilityGroup> groups) {
    Map<String, Tool<?, ?>> tools = new LinkedHashMap<>();
    Map<String, Tool<?, ?>> next = new LinkedHashMap<>();
    for (List<Tool<?, ?>> chain : chains) {
      for (int i = 0; i < chain.size(); i++) {
        register(tools, chain.get(i));
        if (i + 1 < chain.size()) {
          link(next, chain.get(i), chain.get(i + 1));
        }
      }
    }
    for (CapabilityGroup group : groups) {
      group.members().forEach(member -> register(tools, member));
    }
    Map<String, List<Tool<?, ?>>> alternatives = new LinkedHashMap<>();
    for (Tool<?, ?> tool : tools.values()) {
      Map<String, Tool<?, ?>> found = new LinkedHashMap<>();
      for (Tool<?, ?> alt : successors(tool, next)) {
        requireCompatible(tool, alt, "falls back to it in a chain");
        found.put(alt.name(), alt);
      }
      for (CapabilityGroup group : groups) {
        if (group.members().stream().noneMatch(m -> m.name().equals(tool.name()))) {
          continue;
        }
        for (Tool<?, ?> member : group.members()) {
          if (!member.name().equals(tool.name()) && !found.containsKey(member.name())) {
            requireCompatible(
                tool,
                member,
                "shares capability '"
                    + group.capability()
                    + "' with it (use a chain for a one-way fallback)");
            found.put(member.name(), member);
          }
        }
      }
      if (!found.isEmpty()) {
        alternatives.put(tool.name(), List.copyOf(found.values()));
      }
    }
    return new FallbackGraph(
        Collections.unmodifiableMap(tools), Collections.unmodifiableMap(alternatives));
  }

  /** The alternatives of the named tool, in the order they are tried; empty if it has none. */
  public List<Tool<?, ?>> alternativesOf(String toolName) {
    return alternatives.getOrDefault(toolName, List.of());
  }

  /** Every tool named by a chain or a capability group, in the order first named. */
  public Map<String, Tool<?, ?>> tools() {
    return tools;
  }

  private static void register(Map<String, Tool<?, ?>> tools, Tool<?, ?> tool) {
    Tool<?, ?> known = tools.putIfAbsent(tool.name(), tool);
    if (known != null && known != tool) {
      throw new IllegalArgumentException(
          "two different tools are named '" + tool.name() + "': " + known + " and " + tool);
    }
  }

  private static void link(Map<String, Tool<?, ?>> next, Tool<?, ?> from, Tool<?, ?> to) {
    Tool<?, ?> known = next.putIfAbsent(from.name(), to);
    if (known != null && known != to) {
      throw new IllegalArgumentException(
          "tool '"
              + from.name()
              + "' falls back to '"
              + known.name()
              + "' in one chain and to '"
              + to.name()
              + "' in another; give each tool one fallback chain");
    }
  }

  private static List<Tool<?, ?>> successors(Tool<?, ?> start, Map<String, Tool<?, ?>> next) {
    List<Tool<?, ?>> path = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    seen.add(start.name());
    for (Tool<?, ?> t = next.get(start.name()); t != null; t = next.get(t.name())) {
      if (!seen.add(t.name())) {
        List<String> cycle = new ArrayList<>(path.size() + 2);
        cycle.add(start.name());
        path.forEach(p -> cycle.add(p.name()));
        cycle.add(t.name());
        throw new IllegalArgumentException(
            "fallback chains loop back to tool '"
                + t.name()
                + "': "
                + Cycles.describe(cycle, "tools"));
      }
      path.add(t);
    }
    return path;
  }

  private static void requireCompatible(Tool<?, ?> primary, Tool<?, ?> alt, String relation) {
    Class<?> given = primary.spec().inputType();
    Class<?> accepted = alt.spec().inputType();
    if (!accepted.isAssignableFrom(given)) {
      throw new IllegalArgumentException(
          "tool '"
              + alt.name()
              + "' cannot stand in for tool '"
              + primary.name()
              + "', which "
              + relation
              + ": it takes "
              + accepted.getTypeName()
              + " but calls of '"
              + primary.name()
              + "' carry "
              + given.getTypeName());
    }
  }
}
