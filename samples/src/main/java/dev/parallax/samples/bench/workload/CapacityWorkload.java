package dev.parallax.samples.bench.workload;

import com.netflix.concurrency.limits.limit.Gradient2Limit;
import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.adaptive.limit.AdaptiveLimit;
import dev.parallax.core.spi.Prediction;
import dev.parallax.samples.bench.capacity.Limiter;
import dev.parallax.samples.bench.capacity.SimulatedBackend;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Adaptive concurrency against a backend whose latency rises and errors appear past its capacity:
 * the best fixed limit found by sweeping, Netflix concurrency-limits' Gradient2, and Parallax's
 * adaptive limit, on the same simulated backend and random draws.
 */
/*
 * The adaptive limit needs the backend's no-load latency as its reference. It is not taken from the
 * simulator's constant: a predictor (CART on log latency, with the in-flight count as a feature)
 * learns it from records of the backend observed under a load that changes over time (other
 * random draws than the measured runs), as it would from telemetry, and is asked for the latency
 * of one call alone. The reference and the true no-load latency are both reported. Every run lasts capacitySeconds of
 * virtual time; the first capacityWarmupSeconds are not counted. static_best is the fixed limit in
 * 1..3C with the most successes per second.
 */
final class CapacityWorkload implements BenchWorkload {

  private static final double OBSERVATION_SECONDS = 60;
  private static final long SEGMENT_NANOS = 2_000_000_000L;
  private static final int INITIAL_LIMIT = 4;
  private static final int MAX_LIMIT = 200;

  @Override
  public String name() {
    return "capacity";
  }

  @Override
  public String description() {
    return "adaptive concurrency vs best fixed limit and Gradient2, simulated";
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Sizes sizes = context.sizes();
    ProgressListener progress = context.progress();
    int capacity = sizes.capacity();
    double seconds = sizes.capacitySeconds();
    double warmup = sizes.capacityWarmupSeconds();
    SimulatedBackend backend = new SimulatedBackend(capacity, context.seedFor("capacity-backend"));

    progress.phase("observing the backend, training", 2);
    SimulatedBackend observed =
        new SimulatedBackend(capacity, context.seedFor("capacity-observed-backend"));
    AdaptivePredictor predictor = observe(observed, context.seedFor("capacity-observe"), progress);
    Prediction noLoad = predictor.predict(new CallFeatures("backend", Map.of(), 1, 1));
    long reference = noLoad.latency().toNanos();

    int maxFixed = 3 * capacity;
    progress.phase("sweeping fixed limits 1.." + maxFixed, maxFixed);
    List<Chart.Point> sweep = new ArrayList<>();
    List<Object> sweepField = new ArrayList<>();
    SimulatedBackend.Outcome best = null;
    int bestLimit = 0;
    for (int limit = 1; limit <= maxFixed; limit++) {
      SimulatedBackend.Outcome o = backend.run(Limiter.fixed(limit), seconds, warmup, s -> {});
      sweep.add(new Chart.Point(limit, o.successesPerSecond()));
      sweepField.add(List.of(limit, o.successesPerSecond()));
      if (best == null || o.successesPerSecond() > best.successesPerSecond()) {
        best = o;
        bestLimit = limit;
      }
      progress.step();
    }

    progress.phase("gradient2 and adaptive", 2);
    Gradient2Limit gradient2 =
        Gradient2Limit.newBuilder()
            .initialLimit(INITIAL_LIMIT)
            .minLimit(1)
            .maxConcurrency(MAX_LIMIT)
            .build();
    SimulatedBackend.Outcome theirs =
        backend.run(Limiter.netflix(gradient2), seconds, warmup, s -> {});
    progress.step();
    AdaptiveLimit adaptive =
        AdaptiveLimit.builder().initialLimit(INITIAL_LIMIT).maxLimit(MAX_LIMIT).build();
    SimulatedBackend.Outcome ours =
        backend.run(Limiter.adaptive(adaptive, reference), seconds, warmup, s -> {});
    progress.step();

    Map<String, SimulatedBackend.Outcome> outcomes = new LinkedHashMap<>();
    outcomes.put("static_best", best);
    outcomes.put("gradient2", theirs);
    outcomes.put("adaptive", ours);
    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    Map<String, Object> meanLimit = new LinkedHashMap<>();
    List<Chart.Bar> bars = new ArrayList<>();
    for (var e : outcomes.entrySet()) {
      SimulatedBackend.Outcome o = e.getValue();
      policies.put(
          e.getKey(),
          PolicyFigures.builder()
              .successRate(o.successRate())
              .p95Ms(o.p95LatencyMs())
              .toolExecutions(o.completed())
              .cacheHits(0)
              .throughputPerS(o.successesPerSecond())
              .build());
      meanLimit.put(e.getKey(), o.meanLimit());
      bars.add(new Chart.Bar(e.getKey(), o.successesPerSecond()));
    }
    Map<String, Object> ratio = new LinkedHashMap<>();
    ratio.put("gradient2", theirs.successesPerSecond() / best.successesPerSecond());
    ratio.put("adaptive", ours.successesPerSecond() / best.successesPerSecond());

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("capacity", capacity);
    fields.put("best_static_limit", bestLimit);
    fields.put("ratio_vs_static_best", ratio);
    fields.put("adaptive_over_gradient2", ours.successesPerSecond() / theirs.successesPerSecond());
    fields.put("mean_limit", meanLimit);
    fields.put("reference_latency_ms", reference / 1e6);
    fields.put("reference_source", noLoad.source());
    fields.put("true_no_load_latency_ms", SimulatedBackend.BASE_NANOS / 1e6);
    fields.put("reference_model", ModelReports.fields(predictor.report()));
    fields.put("simulated_seconds", seconds);
    fields.put("warmup_seconds", warmup);
    fields.put("sweep_columns", List.of("limit", "throughput_per_s"));
    fields.put("sweep", sweepField);

    List<Chart> charts = new ArrayList<>();
    charts.add(new Chart.Bars("capacity: successful calls per second", "/s", bars));
    charts.add(
        new Chart.Lines(
            "capacity: throughput of each fixed limit (capacity " + capacity + ")",
            "fixed limit",
            "successful calls / s",
            List.of(
                new Chart.Series("fixed limit", sweep),
                flat("gradient2", theirs.successesPerSecond(), maxFixed),
                flat("adaptive", ours.successesPerSecond(), maxFixed))));
    return new WorkloadResult(name(), policies, fields, charts);
  }

  /**
   * Observes the backend under a load that changes over time (a new random fixed limit in 1..3C
   * every two virtual seconds, long enough for the calls in flight to settle at it) and trains a
   * predictor on what it saw.
   */
  private static AdaptivePredictor observe(
      SimulatedBackend backend, long seed, ProgressListener progress) {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .latencyModel(LatencyModelType.CART)
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .seed(seed)
            .build();
    Random random = new Random(seed);
    int maxLimit = 3 * backend.capacity();
    int[] limit = {1 + random.nextInt(maxLimit)};
    long[] segment = {0};
    Limiter wandering =
        new Limiter() {
          @Override
          public int limit() {
            return limit[0];
          }

          @Override
          public void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed) {
            long now = startNanos + latencyNanos;
            if (now / SEGMENT_NANOS != segment[0]) {
              segment[0] = now / SEGMENT_NANOS;
              limit[0] = 1 + random.nextInt(maxLimit);
            }
          }
        };
    int[] seq = {0};
    backend.run(
        wandering,
        OBSERVATION_SECONDS,
        0,
        s ->
            predictor.accept(
                Records.of(
                    "backend",
                    "c" + seq[0]++,
                    Instant.EPOCH.plusNanos(s.startNanos()),
                    Duration.ofNanos(s.latencyNanos()),
                    !s.failed(),
                    s.inFlight(),
                    Map.of())));
    progress.step();
    predictor.retrain();
    progress.step();
    return predictor;
  }

  private static Chart.Series flat(String name, double value, int maxX) {
    return new Chart.Series(name, List.of(new Chart.Point(1, value), new Chart.Point(maxX, value)));
  }
}
