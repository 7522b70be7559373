package dev.parallax.planner.sim;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One call of a simulated workload: what a scheduler sees (id, tool, features, dependencies) and
 * what really happens when it runs (its duration and whether it succeeds), which only the simulator
 * and an oracle know.
 *
 * @param id unique id within its workload
 * @param tool the tool's name
 * @param features the call's numeric features, as a tool's feature extractor would give them
 * @param dependsOn ids of the calls that must succeed before this one starts
 * @param duration how long it runs
 * @param succeeds whether it succeeds
 */
public record SimulatedCall(
    String id,
    String tool,
    Map<String, Double> features,
    List<String> dependsOn,
    Duration duration,
    boolean succeeds) {

  /** Validates and copies. */
  public SimulatedCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tool, "tool");
    features = java.util.Collections.unmodifiableMap(new TreeMap<>(features));
    dependsOn = List.copyOf(dependsOn);
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("call " + id + ": duration is negative: " + duration);
    }
  }

  /** A call that succeeds after {@code duration}. */
  public static SimulatedCall of(String id, String tool, Duration duration, String... dependsOn) {
    return new SimulatedCall(id, tool, Map.of(), List.of(dependsOn), duration, true);
  }
}
