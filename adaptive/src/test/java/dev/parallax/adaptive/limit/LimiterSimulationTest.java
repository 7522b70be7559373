package dev.parallax.adaptive.limit;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limit against a simulated backend (virtual time): at least 95% of the throughput of
 * the best fixed limit found by sweeping, and not below Netflix Gradient2 in the same run.
 */
class LimiterSimulationTest {

  private static final double SECONDS = 300;
  private static final double WARMUP = 30;

  /**
   * The reference comes from a real predictor trained on records of the backend seen at various
   * loads (its no-load latency, in flight = 1), not from the simulator's constant.
   */
  @Test
  void referenceFromTrainedPredictor_adaptiveLimitReaches95PercentOfBestFixed() {
    int capacity = 20;
    SimulatedBackend backend = new SimulatedBackend(capacity, 7);
    java.util.Random random = new java.util.Random(3);
    dev.parallax.adaptive.AdaptivePredictor predictor =
        dev.parallax.adaptive.AdaptivePredictor.builder()
            .latencyModel(dev.parallax.adaptive.LatencyModelType.CART)
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();
    for (int i = 0; i < 3000; i++) {
      int n = 1 + random.nextInt(3 * capacity);
      double seconds =
          SimulatedBackend.BASE_NANOS
              / 1e9
              * Math.max(1.0, (double) n / capacity)
              * Math.exp(0.1 * random.nextGaussian());
      boolean failed = random.nextDouble() < backend.failureProbability(n);
      predictor.accept(
          dev.parallax.core.record.ExecutionRecord.builder()
              .tool("backend")
              .callId("c" + i)
              .traceId("0123456789abcdef0123456789abcdef")
              .spanId("0123456789abcdef")
              .runId("run")
              .start(java.time.Instant.EPOCH.plusMillis(i))
              .duration(java.time.Duration.ofNanos((long) (seconds * 1e9)))
              .status(
                  failed
                      ? dev.parallax.core.call.CallStatus.FAILED
                      : dev.parallax.core.call.CallStatus.SUCCEEDED)
              .errorType(failed ? "overload" : null)
              .attempts(1)
              .queueWait(java.time.Duration.ZERO)
              .inFlight(n)
              .cacheHit(false)
              .features(java.util.Map.of())
              .build());
    }
    predictor.retrain();
    long reference = predictor.noLoadLatency("backend").toNanos();
    double bestFixed = 0;
    for (int limit = 1; limit <= 3 * capacity; limit++) {
      bestFixed =
          Math.max(
              bestFixed,
              backend.run(SimulatedBackend.fixed(limit), SECONDS, WARMUP).successesPerSecond());
    }
    AdaptiveLimit adaptive = AdaptiveLimit.builder().initialLimit(4).build();
    SimulatedBackend.Outcome ours = backend.run(ours(adaptive, reference), SECONDS, WARMUP);
    System.out.printf(
        "capacity %d, predicted no-load latency %.1f ms (true %.1f ms): best fixed %.1f/s;"
            + " adaptive %.1f/s (%.1f%%, mean limit %.1f)%n",
        capacity,
        reference / 1e6,
        SimulatedBackend.BASE_NANOS / 1e6,
        bestFixed,
        ours.successesPerSecond(),
        100 * ours.successesPerSecond() / bestFixed,
        ours.meanLimit());
    assertThat(ours.successesPerSecond()).isGreaterThanOrEqualTo(0.95 * bestFixed);
  }

  /** Our limit, told the predicted no-load latency {@code reference} with every sample. */
  private static SimulatedBackend.Limiter ours(AdaptiveLimit limit, long reference) {
    return new SimulatedBackend.Limiter() {
      @Override
      public int limit() {
        return limit.limit();
      }

      @Override
      public void onSample(long start, long latency, int inFlight, boolean failed) {
        limit.onSample(latency, inFlight, failed, reference);
      }
    };
  }

  private static SimulatedBackend.Limiter netflix(Limit limit) {
    return new SimulatedBackend.Limiter() {
      @Override
      public int limit() {
        return limit.getLimit();
      }

      @Override
      public void onSample(long start, long latency, int inFlight, boolean failed) {
        limit.onSample(start, latency, inFlight, failed);
      }
    };
  }

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
          backend.run(ours(adaptive, SimulatedBackend.BASE_NANOS), SECONDS, WARMUP);
      Gradient2Limit gradient2 =
          Gradient2Limit.newBuilder().initialLimit(4).minLimit(1).maxConcurrency(200).build();
      SimulatedBackend.Outcome theirs = backend.run(netflix(gradient2), SECONDS, WARMUP);
      double vegas =
          backend
              .run(
                  netflix(VegasLimit.newBuilder().initialLimit(4).maxConcurrency(200).build()),
                  SECONDS,
                  WARMUP)
              .successesPerSecond();
      double aimd =
          backend
              .run(
                  netflix(AIMDLimit.newBuilder().initialLimit(4).minLimit(1).maxLimit(200).build()),
                  SECONDS,
                  WARMUP)
              .successesPerSecond();
      System.out.printf(
          "capacity %d: (for reference, not asserted) Netflix Vegas %.1f/s, AIMD %.1f/s%n",
          capacity, vegas, aimd);
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
