package dev.parallax.adaptive;

import dev.parallax.core.record.ExecutionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic latency families outside the linear model's class, and pure noise. Features: {@code
 * size} uniform in [0, 10), {@code flag} 0 or 1. All calls succeed.
 */
final class Families {

  private Families() {}

  /** Log latency as a function of the tool index, size and flag (noise added by the caller). */
  interface Shape {
    double logSeconds(int tool, double size, double flag, int seq);
  }

  /** A bump (non-monotone step), a saturating curve, an interaction (XOR of flag and size > 5). */
  static final Shape NONLINEAR =
      (tool, size, flag, seq) ->
          switch (tool) {
            case 0 -> Math.log(0.05) + (size >= 3 && size < 6 ? 1.5 : 0);
            case 1 -> Math.log(0.2) + 2 * (1 - Math.exp(-size));
            default -> Math.log(0.8) + ((flag > 0) != (size > 5) ? 1.2 : 0);
          };

  /** Independent of every feature. */
  static final Shape NOISE =
      (tool, size, flag, seq) -> Math.log(new double[] {0.05, 0.2, 0.8}[tool]);

  /**
   * {@link #NONLINEAR} until {@code changeAt}; then tool 0's bump moves and tool 1 is 4× slower.
   */
  static Shape drift(int changeAt) {
    return (tool, size, flag, seq) -> {
      if (seq < changeAt) {
        return NONLINEAR.logSeconds(tool, size, flag, seq);
      }
      return switch (tool) {
        case 0 -> Math.log(0.05) + (size >= 6 ? 1.5 : 0);
        case 1 -> Math.log(0.8) + 2 * (1 - Math.exp(-size));
        default -> NONLINEAR.logSeconds(tool, size, flag, seq);
      };
    };
  }

  static List<ExecutionRecord> records(Shape shape, double sigma, int n, long seed, int firstSeq) {
    Random random = new Random(seed);
    List<ExecutionRecord> out = new ArrayList<>(n);
    String[] tools = {"search", "fetch", "summarize"};
    for (int i = 0; i < n; i++) {
      int t = random.nextInt(3);
      double size = random.nextDouble() * 10;
      double flag = random.nextBoolean() ? 1 : 0;
      int seq = firstSeq + i;
      double log = shape.logSeconds(t, size, flag, seq) + sigma * random.nextGaussian();
      out.add(
          Records.record(
              tools[t],
              Records.seconds(Math.exp(log)),
              true,
              Map.of("size", size, "flag", flag),
              seq));
    }
    return out;
  }
}
