package dev.parallax.samples.bench.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * kept, then a run whose workers halve half-way. The goals of issue 14 item 6 are asserted on every
 * one of a range of consecutive seeds (1..8 by default; {@code -Dparallax.capacity.seeds=N} runs
 * 1..N), not on chosen ones; the distribution of each ratio is printed. Deterministic: fixed seeds,
 * no clock.
 */
class QueueBackendAdaptiveLimitTest {

  private static final double SERVICE_MS = 100;
  private static final double TIMEOUT_MS = 1000;
  private static final double SECONDS = 300;
  private static final double WARMUP = 30;
  private static final double SETTLE = 30;
  private static final int SEEDS = Integer.getInteger("parallax.capacity.seeds", 8);

  @ParameterizedTest(name = "workers {0}")
  @ValueSource(ints = {8, 20})
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  void coldAdaptiveLimit_onEverySeed_reachesBestFixedAndBestTunedNetflix_andRecoversFromHalving(
      int workers) {
    List<double[]> figures = new ArrayList<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      Comparison.Result result = Comparison.run(setup(workers, seed), what -> {});
      Map<String, Object> ratios = map(result.fields().get("ratios"));
      Map<String, Object> halving = map(result.fields().get("halving"));
      Map<String, Object> adaptiveHalving = map(map(halving.get("policies")).get("adaptive"));
      double[] f = {
        seed,
        (double) ratios.get("adaptive_over_static_best"),
        (double) ratios.get("adaptive_over_best_netflix"),
        (double) adaptiveHalving.get("ratio_after_settle_to_new_best"),
        (double) adaptiveHalving.get("recovered_to_90pct_after_s")
      };
      figures.add(f);
      System.out.printf(
          Locale.ROOT,
          "queue, %d workers, seed %d: adaptive/best fixed %.3f, adaptive/best tuned Netflix %.3f;"
              + " after halving %.3f of the new best, 90%% reached after %.0f s%n",
          workers,
          seed,
          f[1],
          f[2],
          f[3],
          f[4]);
    }
    System.out.printf(
        Locale.ROOT,
        "queue, %d workers, seeds 1..%d (min / median / max): best fixed %s, best Netflix %s,"
            + " after halving %s, recovery s %s%n",
        workers,
        SEEDS,
        spread(figures, 1),
        spread(figures, 2),
        spread(figures, 3),
        spread(figures, 4));
    for (double[] f : figures) {
      String seed = "seed " + (long) f[0];
      assertThat(f[1]).as(seed + ": adaptive / best fixed").isGreaterThanOrEqualTo(0.95);
      // Where the best Netflix configuration also keeps every worker busy, both reach the best
      // fixed limit on the same draws: a tie, which the 1% margin admits (figures printed above).
      assertThat(f[2]).as(seed + ": adaptive / best tuned Netflix").isGreaterThanOrEqualTo(0.99);
      assertThat(f[3]).as(seed + ": after halving / new best").isGreaterThanOrEqualTo(0.9);
      assertThat(f[4]).as(seed + ": seconds to 90% of the new best").isLessThanOrEqualTo(SETTLE);
    }
  }

  private static String spread(List<double[]> figures, int column) {
    double[] v = figures.stream().mapToDouble(f -> f[column]).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "%.3f / %.3f / %.3f",
        v[0],
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2,
        Arrays.stream(v).max().orElseThrow());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private static Comparison.Setup setup(int workers, long seed) {
    List<Backend> repeats = List.of(new QueueBackend(workers, SERVICE_MS, TIMEOUT_MS, seed));
    Backend halved = new QueueBackend(workers / 2, SERVICE_MS, TIMEOUT_MS, seed);
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
