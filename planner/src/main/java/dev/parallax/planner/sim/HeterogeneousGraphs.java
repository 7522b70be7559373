package dev.parallax.planner.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Random heterogeneous call graphs for scheduling experiments, reproducible from a seed.
 *
 * <p>Each graph is layered: calls are spread over a random number of layers of random width, and
 * each call after the first layer depends on one to three calls of the two layers before it. Each
 * call uses one of {@code tools} tools; a tool has a base latency (log-uniform between 10 ms and
 * 300 ms) and a sensitivity to the call's {@code size} feature (log-uniform between 1 and 100), so
 * a call lasts {@code base * (size / 10)^k * noise} with {@code k} between 0 and 0.8 per tool and a
 * log-normal noise of 10%: durations spread over more than two orders of magnitude, and a per-tool
 * average misses what the {@code size} feature tells. Every call succeeds.
 *
 * <p>Not thread-safe (it holds a random generator).
 */
public final class HeterogeneousGraphs {

  /** The feature that drives latency within a tool. */
  public static final String SIZE = "size";

  private final Random random;
  private final int minCalls;
  private final int maxCalls;
  private final double[] base;
  private final double[] sensitivity;
  private int made;

  /**
   * A generator of graphs with between {@code minCalls} and {@code maxCalls} calls over {@code
   * tools} tools.
   */
  public HeterogeneousGraphs(long seed, int minCalls, int maxCalls, int tools) {
    if (minCalls < 1 || maxCalls < minCalls) {
      throw new IllegalArgumentException(
          "need 1 <= minCalls <= maxCalls, was " + minCalls + ".." + maxCalls);
    }
    if (tools < 1) {
      throw new IllegalArgumentException("tools must be >= 1, was " + tools);
    }
    this.random = new Random(seed);
    this.minCalls = minCalls;
    this.maxCalls = maxCalls;
    this.base = new double[tools];
    this.sensitivity = new double[tools];
    Random toolRandom = new Random(Objects.hash(tools, 7919));
    for (int t = 0; t < tools; t++) {
      base[t] = logUniform(toolRandom, 10, 300);
      sensitivity[t] = toolRandom.nextDouble() * 0.8;
    }
  }

  /** The next graph. */
  public Workload next() {
    int n = minCalls + random.nextInt(maxCalls - minCalls + 1);
    int layers = Math.max(1, (int) Math.round(Math.sqrt(n) * (0.3 + random.nextDouble())));
    List<List<String>> byLayer = new ArrayList<>();
    List<SimulatedCall> calls = new ArrayList<>(n);
    String graph = "g" + made++;
    for (int i = 0; i < n; i++) {
      int layer = i < layers ? i : random.nextInt(layers); // every layer gets a call
      while (byLayer.size() <= layer) {
        byLayer.add(new ArrayList<>());
      }
      String id = graph + "-c" + i;
      byLayer.get(layer).add(id);
      calls.add(call(id, layer, byLayer));
    }
    return new Workload(graph, calls);
  }

  /** The next {@code count} graphs. */
  public List<Workload> next(int count) {
    List<Workload> graphs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      graphs.add(next());
    }
    return graphs;
  }

  private SimulatedCall call(String id, int layer, List<List<String>> byLayer) {
    Set<String> dependsOn = new LinkedHashSet<>();
    if (layer > 0) {
      int wanted = 1 + random.nextInt(3);
      for (int k = 0; k < wanted; k++) {
        int from = Math.max(0, layer - 1 - random.nextInt(2));
        List<String> candidates = byLayer.get(from);
        if (!candidates.isEmpty()) {
          dependsOn.add(candidates.get(random.nextInt(candidates.size())));
        }
      }
    }
    int tool = random.nextInt(base.length);
    double size = logUniform(random, 1, 100);
    double noise = Math.exp(random.nextGaussian() * 0.1);
    double millis = base[tool] * Math.pow(size / 10, sensitivity[tool]) * noise;
    return new SimulatedCall(
        id,
        "tool" + tool,
        Map.of(SIZE, size),
        List.copyOf(dependsOn),
        Duration.ofNanos(Math.round(millis * 1e6)),
        true);
  }

  private static double logUniform(Random random, double low, double high) {
    return Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
  }
}
