package dev.parallax.samples.bench.workload;

import dev.parallax.core.record.ExecutionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic calls of three tools whose latency or failure depends on one input feature, {@code
 * size}, uniform in [0, 10): the workloads of adaptive's model-quality tests.
 */
final class LearningData {

  static final String[] TOOLS = {"search", "fetch", "summarize"};
  static final double[] BASE_SECONDS = {0.05, 0.2, 0.8};
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private LearningData() {}

  /** Latency = base × exp(0.3 × size) × log-normal noise (σ 0.15); every call succeeds. */
  static List<ExecutionRecord> latencyDependsOnSize(int n, long seed, int firstSeq) {
    Random random = new Random(seed);
    List<ExecutionRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = random.nextInt(TOOLS.length);
      double size = random.nextDouble() * 10;
      double seconds = BASE_SECONDS[t] * Math.exp(0.3 * size + 0.15 * random.nextGaussian());
      out.add(record(TOOLS[t], seconds, true, Map.of("size", size, "args", 2.0), firstSeq + i));
    }
    return out;
  }

  /** Success with probability 1 / (1 + exp(1.5 (size − 5))); latency does not depend on size. */
  static List<ExecutionRecord> failureDependsOnSize(int n, long seed, int firstSeq) {
    Random random = new Random(seed);
    List<ExecutionRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = random.nextInt(TOOLS.length);
      double size = random.nextDouble() * 10;
      boolean ok = random.nextDouble() < 1 / (1 + Math.exp(1.5 * (size - 5)));
      double seconds = BASE_SECONDS[t] * Math.exp(0.15 * random.nextGaussian());
      out.add(record(TOOLS[t], seconds, ok, Map.of("size", size), firstSeq + i));
    }
    return out;
  }

  private static ExecutionRecord record(
      String tool, double seconds, boolean ok, Map<String, Double> features, int seq) {
    return Records.of(
        tool,
        "c" + seq,
        T0.plusMillis(seq * 10L),
        Records.seconds(seconds),
        ok,
        1 + seq % 4,
        features);
  }
}
