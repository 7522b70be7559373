package dev.parallax.samples.bench.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parallax's adaptive limit, starting cold (no reference, default settings), on the M/M/c queue
 * with client timeouts — a backend it was not built for — in virtual time, through the bench's own
 * {@link Comparison}: fixed limits 1..3C and every Netflix configuration swept, the best of each
 * kept, two interleaved repeats on their own draws, then a run whose workers halve half-way.
 * Deterministic: fixed seeds, no clock.
 *
 * <p>Known gap (issue 14, item 6 — not met): on these draws (seeds 11 and 12) the goals hold, but
 * on the draws of {@code parallax bench -w capacity} the cold limit still collapses when its first
 * samples put the self-measured no-load reference too low (queue C=20: 0.60 of the best fixed
 * limit; after halving 0.10). This test guards the cases that work against regressions; it is not
 * evidence that the goal is met in general.
 */
class QueueBackendAdaptiveLimitTest {

  private static final double SERVICE_MS = 100;
  private static final double TIMEOUT_MS = 1000;
  private static final double SECONDS = 300;
  private static final double WARMUP = 30;
  private static final double SETTLE = 30;

  @ParameterizedTest(name = "workers {0}")
  @ValueSource(ints = {8, 20})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void coldAdaptiveLimit_reachesBestFixedAndBestTunedNetflix_andRecoversFromHalving(int workers) {
    Comparison.Result result = Comparison.run(setup(workers), what -> {});
    Map<String, Object> ratios = map(result.fields().get("ratios"));
    Map<String, Object> halving = map(result.fields().get("halving"));
    Map<String, Object> adaptiveHalving = map(map(halving.get("policies")).get("adaptive"));
    double overFixed = (double) ratios.get("adaptive_over_static_best");
    double overNetflix = (double) ratios.get("adaptive_over_best_netflix");
    double afterHalving = (double) adaptiveHalving.get("ratio_after_settle_to_new_best");
    double recovered = (double) adaptiveHalving.get("recovered_to_90pct_after_s");
    System.out.printf(
        "queue, %d workers: adaptive/best fixed %.3f, adaptive/best tuned Netflix %.3f;"
            + " after halving %.3f of the new best, 90%% reached after %.0f s%n",
        workers, overFixed, overNetflix, afterHalving, recovered);
    assertThat(overFixed).isGreaterThanOrEqualTo(0.95);
    // Where the best Netflix configuration also keeps every worker busy, both reach the best fixed
    // limit on the same draws: a tie, which the 1% margin admits (the figures are printed above).
    assertThat(overNetflix).isGreaterThanOrEqualTo(0.99);
    assertThat(afterHalving).isGreaterThanOrEqualTo(0.9);
    assertThat(recovered).isLessThanOrEqualTo(SETTLE);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private static Comparison.Setup setup(int workers) {
    List<Backend> repeats =
        List.of(
            new QueueBackend(workers, SERVICE_MS, TIMEOUT_MS, 11),
            new QueueBackend(workers, SERVICE_MS, TIMEOUT_MS, 12));
    Backend halved = new QueueBackend(workers / 2, SERVICE_MS, TIMEOUT_MS, 11);
    return new Comparison.Setup() {
      @Override
      public List<Backend> repeats() {
        return repeats;
      }

      @Override
      public Backend halved() {
        return halved;
      }

      @Override
      public List<Integer> fixedLimits() {
        return IntStream.rangeClosed(1, 3 * workers).boxed().toList();
      }

      @Override
      public List<Integer> halvedFixedLimits() {
        return IntStream.rangeClosed(1, 3 * workers / 2).boxed().toList();
      }

      @Override
      public Backend.Schedule schedule() {
        return Backend.Schedule.steady(SECONDS, WARMUP);
      }

      @Override
      public Backend.Schedule halving() {
        return new Backend.Schedule(2 * SECONDS, 0, SECONDS, 1);
      }

      @Override
      public double settleSeconds() {
        return SETTLE;
      }

      @Override
      public double rollingSeconds() {
        return 5;
      }

      @Override
      public List<String> halvingPolicies() {
        return List.of("adaptive");
      }

      @Override
      public double noLoadMillis() {
        return SERVICE_MS;
      }
    };
  }
}
