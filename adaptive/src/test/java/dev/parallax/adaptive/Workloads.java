package dev.parallax.adaptive;

import dev.parallax.core.record.ExecutionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic workloads with a known dependence on one input feature, {@code size}, uniform in [0,
 * 10). Three tools with different base latencies.
 */
final class Workloads {

  static final String[] TOOLS = {"search", "fetch", "summarize"};
  static final double[] BASE_SECONDS = {0.05, 0.2, 0.8};

  private Workloads() {}

  /** Latency = base × exp(0.3 × size) × lognormal noise (σ 0.15); all succeed. */
  static List<ExecutionRecord> latencyDependsOnSize(int n, long seed, int firstSeq) {
    Random random = new Random(seed);
    List<ExecutionRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = random.nextInt(TOOLS.length);
      double size = random.nextDouble() * 10;
      double seconds = BASE_SECONDS[t] * Math.exp(0.3 * size + 0.15 * random.nextGaussian());
      out.add(
          Records.record(
              TOOLS[t],
              Records.seconds(seconds),
              true,
              Map.of("size", size, "args", 2.0),
              firstSeq + i));
    }
    return out;
  }

  /** Success with probability 1 / (1 + exp(size − 5)); latency does not depend on size. */
  static List<ExecutionRecord> failureDependsOnSize(int n, long seed, int firstSeq) {
    Random random = new Random(seed);
    List<ExecutionRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = random.nextInt(TOOLS.length);
      double size = random.nextDouble() * 10;
      boolean ok = random.nextDouble() < 1 / (1 + Math.exp(1.5 * (size - 5)));
      double seconds = BASE_SECONDS[t] * Math.exp(0.15 * random.nextGaussian());
      out.add(
          Records.record(
              TOOLS[t], Records.seconds(seconds), ok, Map.of("size", size), firstSeq + i));
    }
    return out;
  }
}
