package dev.parallax.adaptive.limit;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.limit.Gradient2Limit;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limit against a simulated backend (virtual time): at least 95% of the throughput of
 * the best fixed limit found by sweeping, and not below Netflix Gradient2 in the same run.
 */
class LimiterSimulationTest {

  private static final double SECONDS = 300;
  private static final double WARMUP = 30;

  @Test
  void backendWithCapacity_adaptiveLimitReaches95PercentOfBestFixedAndBeatsGradient2() {
    for (int capacity : new int[] {8, 20, 50}) {
      SimulatedBackend backend = new SimulatedBackend(capacity, 42);
      double bestFixed = 0;
      int bestLimit = 0;
      for (int limit = 1; limit <= 3 * capacity; limit++) {
        double t = backend.run(SimulatedBackend.fixed(limit), SECONDS, WARMUP).successesPerSecond();
        if (t > bestFixed) {
          bestFixed = t;
          bestLimit = limit;
        }
      }
      AdaptiveLimit adaptive = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
      SimulatedBackend.Outcome ours =
          backend.run(
              new SimulatedBackend.Limiter() {
                @Override
                public int limit() {
                  return adaptive.limit();
                }

                @Override
                public void onSample(long start, long latency, int inFlight, boolean failed) {
                  // the reference: the predicted no-load latency of the call
                  adaptive.onSample(latency, inFlight, failed, SimulatedBackend.BASE_NANOS);
                }
              },
              SECONDS,
              WARMUP);
      Gradient2Limit gradient2 =
          Gradient2Limit.newBuilder().initialLimit(4).minLimit(1).maxConcurrency(200).build();
      SimulatedBackend.Outcome theirs =
          backend.run(
              new SimulatedBackend.Limiter() {
                @Override
                public int limit() {
                  return gradient2.getLimit();
                }

                @Override
                public void onSample(long start, long latency, int inFlight, boolean failed) {
                  gradient2.onSample(start, latency, inFlight, failed);
                }
              },
              SECONDS,
              WARMUP);
      System.out.printf(
          "capacity %d: best fixed limit %d -> %.1f/s; adaptive %.1f/s (%.1f%%, mean limit %.1f);"
              + " Gradient2 %.1f/s (%.1f%%, mean limit %.1f)%n",
          capacity,
          bestLimit,
          bestFixed,
          ours.successesPerSecond(),
          100 * ours.successesPerSecond() / bestFixed,
          ours.meanLimit(),
          theirs.successesPerSecond(),
          100 * theirs.successesPerSecond() / bestFixed,
          theirs.meanLimit());
      assertThat(ours.successesPerSecond()).isGreaterThanOrEqualTo(0.95 * bestFixed);
      assertThat(ours.successesPerSecond()).isGreaterThanOrEqualTo(theirs.successesPerSecond());
    }
  }
}
