package dev.parallax.adaptive;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures what one prediction costs (a simple timed loop, not a unit test: timing claims do not
 * belong in assertions). Run with:
 *
 * <pre>
 * ./mvnw -q -pl adaptive test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.parallax.adaptive.PredictionCostMain
 * </pre>
 *
 * Prints the median over rounds of the mean cost per prediction, for the trained models (latency
 * and success) and for the baseline alone, measured side by side.
 */
public final class PredictionCostMain {

  private PredictionCostMain() {}

  /** Entry point. */
  public static void main(String[] args) {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();
    Workloads.failureDependsOnSize(4000, 21, 0).forEach(predictor);
    predictor.retrain();
    System.out.println("report: " + predictor.report());
    List<CallFeatures> calls =
        List.of(
            new CallFeatures("search", Map.of("size", 1.5), 3, 1),
            new CallFeatures("fetch", Map.of("size", 7.0), 1, 1),
            new CallFeatures("summarize", Map.of("size", 4.2), 8, 2));
    AdaptivePredictor baselineOnly =
        AdaptivePredictor.builder().retrainEvery(Integer.MAX_VALUE).build();
    Workloads.failureDependsOnSize(4000, 21, 0).forEach(baselineOnly);
    System.out.println("source with models: " + predictor.predict(calls.get(0)).source());
    System.out.println("source without: " + baselineOnly.predict(calls.get(0)).source());

    int perRound = 20_000;
    int rounds = 31;
    double[] model = new double[rounds];
    double[] baseline = new double[rounds];
    long sink = 0;
    for (int warm = 0; warm < 20; warm++) {
      sink += loop(predictor, calls, perRound) + loop(baselineOnly, calls, perRound);
    }
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      sink += loop(predictor, calls, perRound);
      long t1 = System.nanoTime();
      sink += loop(baselineOnly, calls, perRound);
      long t2 = System.nanoTime();
      model[r] = (t1 - t0) / (double) perRound;
      baseline[r] = (t2 - t1) / (double) perRound;
    }
    Arrays.sort(model);
    Arrays.sort(baseline);
    System.out.printf(
        "prediction cost, median of %d rounds x %d: models %.2f µs, baseline only %.2f µs,"
            + " ratio %.1f (sink %d)%n",
        rounds,
        perRound,
        model[rounds / 2] / 1000,
        baseline[rounds / 2] / 1000,
        model[rounds / 2] / baseline[rounds / 2],
        sink % 10);
  }

  private static long loop(AdaptivePredictor p, List<CallFeatures> calls, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += p.predict(calls.get(i % calls.size())).latency().getNano();
    }
    return sum;
  }
}
