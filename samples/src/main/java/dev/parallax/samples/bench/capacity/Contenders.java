package dev.parallax.samples.bench.capacity;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import dev.parallax.adaptive.limit.AdaptiveLimit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The limiters compared on a backend, each a fresh instance per run: Parallax's adaptive limit
 * (cold: no reference, default settings), and the grids of parameters swept for Netflix's Vegas,
 * Gradient2 and AIMD. Every adaptive limiter starts at the same initial limit.
 */
public final class Contenders {

  /** Where every adaptive limiter starts. */
  public static final int INITIAL_LIMIT = 4;

  /** The largest limit any adaptive limiter may reach. */
  public static final int MAX_LIMIT = 200;

  /**
   * One configuration of a limiter.
   *
   * @param parameters the swept parameters, for the report
   * @param make a new limiter per run
   */
  public record Config(Map<String, Object> parameters, Supplier<Limiter> make) {}

  private Contenders() {}

  /** Parallax's adaptive limit with its defaults, no reference: it measures the backend itself. */
  public static Limiter adaptive() {
    return Limiter.adaptive(
        AdaptiveLimit.builder().initialLimit(INITIAL_LIMIT).maxLimit(MAX_LIMIT).build(), 0);
  }

  /**
   * The swept configurations of each Netflix algorithm, by policy name ({@code vegas}, {@code
   * gradient2}, {@code aimd}); {@code noLoadMillis} sets the scale of AIMD's latency timeout.
   */
  public static Map<String, List<Config>> netflix(double noLoadMillis) {
    Map<String, List<Config>> all = new LinkedHashMap<>();
    List<Config> vegas = new ArrayList<>();
    vegas.add(
        new Config(
            Map.of("alpha", "3*log10(limit)", "beta", "6*log10(limit)"),
            () ->
                Limiter.netflix(
                    VegasLimit.newBuilder()
                        .initialLimit(INITIAL_LIMIT)
                        .maxConcurrency(MAX_LIMIT)
                        .build())));
    for (int alpha : new int[] {2, 4, 8}) {
      vegas.add(
          new Config(
              Map.of("alpha", alpha, "beta", 2 * alpha),
              () ->
                  Limiter.netflix(
                      VegasLimit.newBuilder()
                          .initialLimit(INITIAL_LIMIT)
                          .maxConcurrency(MAX_LIMIT)
                          .alpha(alpha)
                          .beta(2 * alpha)
                          .build())));
    }
    all.put("vegas", vegas);
    List<Config> gradient2 = new ArrayList<>();
    for (double tolerance : new double[] {1.5, 2.0, 3.0}) {
      for (int queue : new int[] {4, 8}) {
        gradient2.add(
            new Config(
                Map.of("rtt_tolerance", tolerance, "queue_size", queue),
                () ->
                    Limiter.netflix(
                        Gradient2Limit.newBuilder()
                            .initialLimit(INITIAL_LIMIT)
                            .minLimit(1)
                            .maxConcurrency(MAX_LIMIT)
                            .rttTolerance(tolerance)
                            .queueSize(queue)
                            .build())));
      }
    }
    all.put("gradient2", gradient2);
    List<Config> aimd = new ArrayList<>();
    for (double backoff : new double[] {0.5, 0.75, 0.9}) {
      for (double timeoutFactor : new double[] {3, 10}) {
        long timeoutNanos = (long) (timeoutFactor * noLoadMillis * 1e6);
        aimd.add(
            new Config(
                Map.of("backoff_ratio", backoff, "timeout_ms", timeoutNanos / 1e6),
                () ->
                    Limiter.netflix(
                        AIMDLimit.newBuilder()
                            .initialLimit(INITIAL_LIMIT)
                            .minLimit(1)
                            .maxLimit(MAX_LIMIT)
                            .backoffRatio(backoff)
                            .timeout(timeoutNanos, TimeUnit.NANOSECONDS)
                            .build())));
      }
    }
    all.put("aimd", aimd);
    return all;
  }
}
