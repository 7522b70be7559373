package dev.parallax.samples.bench.workload;

import dev.parallax.core.record.ExecutionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic calls for the {@code learning} workload. Each call has two input features, {@code size}
 * uniform in [0, 10) and {@code flag} 0 or 1, and one of the tools {@link #TOOLS}. The families
 * (log latency in seconds, natural log; N(0, σ²) noise added):
 *
 * <ul>
 *   <li>{@link Family#IN_CLASS}: {@code log(base) + 0.3·size}, σ 0.15 — inside the linear model's
 *       hypothesis class (true by construction; kept only as a labelled reference);
 *   <li>{@link Family#NONLINEAR}: outside it — {@code search} a bump (+1.5 for 3 ≤ size < 6),
 *       {@code fetch} saturating ({@code 2·(1 − e^−size)}), {@code summarize} an interaction (+1.2
 *       when {@code flag} XOR {@code size > 5}), σ 0.15; {@code render} linear in size but
 *       heteroscedastic (σ {@code 0.05 + 0.06·size});
 *   <li>{@link Family#DRIFT}: {@code NONLINEAR} until the change, then {@code search}'s bump moves
 *       to {@code size ≥ 6} and {@code fetch} becomes 4× slower;
 *   <li>{@link Family#NOISE}: {@code log(base)}, σ 0.5: independent of every feature.
 * </ul>
 */
final class LearningData {

  static final String[] TOOLS = {"search", "fetch", "summarize", "render"};
  static final double[] BASE_SECONDS = {0.05, 0.2, 0.8, 0.3};
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** The latency families. */
  enum Family {
    IN_CLASS("log(base) + 0.3·size + noise: inside the linear model's class (reference only)"),
    NONLINEAR(
        "bump, saturating curve, flag×size interaction, heteroscedastic noise: outside the linear"
            + " class"),
    DRIFT("the nonlinear family with a regime change halfway: one bump moves, one tool 4× slower"),
    NOISE("latency independent of every feature (σ 0.5 in log): the gate must refuse");

    final String description;

    Family(String description) {
      this.description = description;
    }
  }

  private LearningData() {}

  /**
   * {@code n} calls of a family; for {@link Family#DRIFT} the regime changes at call {@code
   * changeAt} (ignored otherwise). Calls are numbered from {@code firstSeq}.
   */
  static List<ExecutionRecord> latency(
      Family family, int n, long seed, int firstSeq, int changeAt) {
    Random random = new Random(seed);
    List<ExecutionRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int seq = firstSeq + i;
      int t = random.nextInt(TOOLS.length);
      double size = random.nextDouble() * 10;
      double flag = random.nextBoolean() ? 1 : 0;
      double noise = random.nextGaussian();
      double log = Math.log(BASE_SECONDS[t]);
      double sigma = 0.15;
      switch (family) {
        case IN_CLASS -> log += 0.3 * size;
        case NOISE -> sigma = 0.5;
        case NONLINEAR, DRIFT -> {
          boolean changed = family == Family.DRIFT && seq >= changeAt;
          switch (t) {
            case 0 -> log += (changed ? size >= 6 : size >= 3 && size < 6) ? 1.5 : 0;
            case 1 -> log += 2 * (1 - Math.exp(-size)) + (changed ? Math.log(4) : 0);
            case 2 -> log += (flag > 0) != (size > 5) ? 1.2 : 0;
            default -> {
              log += 0.15 * size;
              sigma = 0.05 + 0.06 * size;
            }
          }
        }
      }
      double seconds = Math.exp(log + sigma * noise);
      out.add(record(TOOLS[t], seconds, true, Map.of("size", size, "flag", flag), seq));
    }
    return out;
  }

  /**
   * Failure outside the logistic model's class: {@code search} fails with probability 0.6 when 3 ≤
   * size < 6 (0.05 otherwise), {@code fetch} 0.5 when {@code flag} XOR {@code size > 5} (0.05
   * otherwise), {@code summarize} and {@code render} 0.1 whatever the input. Latency does not
   * depend on the input.
   */
  static List<ExecutionRecord> failure(int n, long seed, int firstSeq) {
    Random random = new Random(seed);
    List<ExecutionRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = random.nextInt(TOOLS.length);
      double size = random.nextDouble() * 10;
      double flag = random.nextBoolean() ? 1 : 0;
      double pFail =
          switch (t) {
            case 0 -> size >= 3 && size < 6 ? 0.6 : 0.05;
            case 1 -> (flag > 0) != (size > 5) ? 0.5 : 0.05;
            default -> 0.1;
          };
      boolean ok = random.nextDouble() >= pFail;
      double seconds = BASE_SECONDS[t] * Math.exp(0.15 * random.nextGaussian());
      out.add(record(TOOLS[t], seconds, ok, Map.of("size", size, "flag", flag), firstSeq + i));
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
