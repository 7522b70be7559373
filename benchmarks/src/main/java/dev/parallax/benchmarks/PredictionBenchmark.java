package dev.parallax.benchmarks;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one prediction costs: {@link AdaptivePredictor#predict(CallFeatures)} with trained Tribuo
 * models that the gate let answer (the default candidates, linear SGD, CART and kNN, for latency;
 * logistic regression on success), with a random forest, and with k nearest neighbours, as the only
 * latency candidate, against the same predictor answering from its per-tool moving averages alone.
 * Sampled per call, so the report can give the median (target at most 10 µs).
 */
/*
 * The predictors learn from the same 4,000 synthetic records (three tools, latency a step in an
 * input feature, failure logistic in it, fixed seed); the model predictors are retrained, and the
 * set-up fails unless their models answer both latency and success for every tool. Each
 * invocation predicts one of three calls in turn, so no side is measuring a single cached input.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PredictionBenchmark {

  private static final String[] TOOLS = {"search", "fetch", "summarize"};

  private AdaptivePredictor models;
  private AdaptivePredictor forest;
  private AdaptivePredictor nearest;
  private AdaptivePredictor baseline;
  private List<CallFeatures> calls;
  private int next;

  /** Trains the model-backed predictor and feeds the baseline-only one. */
  @Setup(Level.Trial)
  public void setUp() {
    models =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();
    forest =
        AdaptivePredictor.builder()
            .latencyModel(LatencyModelType.RANDOM_FOREST)
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();
    nearest =
        AdaptivePredictor.builder()
            .latencyModel(LatencyModelType.NEAREST_NEIGHBOURS)
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();
    baseline = AdaptivePredictor.builder().retrainEvery(Integer.MAX_VALUE).build();
    Random random = new Random(21);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 4000; i++) {
      String tool = TOOLS[random.nextInt(TOOLS.length)];
      double size = random.nextDouble() * 10;
      boolean ok = random.nextDouble() < 1 / (1 + Math.exp(1.5 * (size - 5)));
      double millis =
          20 * (size >= 3 && size < 6 ? 4.5 : 1) * Math.exp(0.1 * random.nextGaussian());
      Duration latency = Duration.ofNanos(Math.round(millis * 1e6));
      ExecutionRecord record =
          ExecutionRecord.builder()
              .tool(tool)
              .callId("c" + i)
              .traceId("0".repeat(32))
              .spanId(String.format("%016x", i))
              .runId("run")
              .start(t0.plusMillis(i))
              .duration(latency)
              .status(ok ? CallStatus.SUCCEEDED : CallStatus.FAILED)
              .errorType(ok ? null : "java.io.IOException")
              .attempts(1)
              .queueWait(Duration.ZERO)
              .inFlight(1)
              .cacheHit(false)
              .features(Map.of("size", size))
              .build();
      models.accept(record);
      forest.accept(record);
      nearest.accept(record);
      baseline.accept(record);
    }
    calls = List.of(features(0), features(1), features(2));
    for (AdaptivePredictor p : List.of(models, forest, nearest)) {
      p.retrain();
      for (CallFeatures call : calls) {
        if (!p.predict(call).source().equals(AdaptivePredictor.MODEL)) {
          throw new IllegalStateException(
              "the models do not answer for " + call.tool() + ": " + p.report());
        }
      }
    }
  }

  private static CallFeatures features(int i) {
    return new CallFeatures(TOOLS[i], Map.of("size", 1.5 + 3 * i), 1 + i, 1);
  }

  /** One prediction from the trained models. */
  @Benchmark
  public Object predictWithModels() {
    return models.predict(calls.get(next++ % 3));
  }

  /** One prediction with a random forest (10 trees) for latency. */
  @Benchmark
  public Object predictWithForest() {
    return forest.predict(calls.get(next++ % 3));
  }

  /**
   * One prediction with k nearest neighbours (an in-memory scan of at most 512 calls of the tool)
   * for latency.
   */
  @Benchmark
  public Object predictWithNearestNeighbours() {
    return nearest.predict(calls.get(next++ % 3));
  }

  /** One prediction from the moving averages alone. */
  @Benchmark
  public Object predictBaselineOnly() {
    return baseline.predict(calls.get(next++ % 3));
  }
}
