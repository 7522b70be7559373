package dev.parallax.benchmarks;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.storage.neighbours.ToolScaledVectorizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the history store's neighbours cost on the call path ({@link
 * AdaptivePredictor.Builder#historyNeighbours}): a prediction answered from a warm cache of the
 * embedded store's estimates, a prediction that misses (a call whose features were never seen, so
 * the in-memory index answers and a store query is offered to the predictor's own query thread —
 * mostly dropped, the queue being full), next to the same predictor without the store (the
 * in-memory kNN). Sampled per call, so the report gives the median (target at most 10 µs).
 */
/*
 * The data of PredictionBenchmark (4,000 records, three tools, latency a step in "size", fixed
 * seed), k nearest neighbours the only latency candidate; the set-up fails unless the model answers
 * each tool. The store is a real EmbeddedHistoryStore in a temp directory holding the same records.
 * Warm: the three calls of PredictionBenchmark, their estimates queried before measuring (cache key
 * on the facade's grid, 0.1 sd). Miss: a new "size" at every invocation, with the exact vector as
 * the key so that each is a miss; the query thread takes about one query per millisecond, so most
 * are dropped (the RejectedExecutionException path) — the miss path under load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StoreNeighbourBenchmark {

  private static final String[] TOOLS = {"search", "fetch", "summarize"};

  private Path dir;
  private EmbeddedHistoryStore store;
  private AdaptivePredictor inMemory;
  private AdaptivePredictor withStore;
  private AdaptivePredictor missing;
  private List<CallFeatures> calls;
  private int next;
  private long unseen;

  /** Trains both predictors, fills the store and warms the cache for the three calls. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    List<ExecutionRecord> records = records();
    dir = Files.createTempDirectory("parallax-store-neighbours-bench-");
    store = EmbeddedHistoryStore.open(dir, ToolScaledVectorizer.fit(records));
    store.append(records);
    inMemory = predictor().build();
    withStore =
        predictor()
            .historyNeighbours(StoreNeighbourReplay.adapter(store, 0.1))
            .historyNeighboursGate(0) // the cost of an answer from the store, not of the gate
            .build();
    // keyed by the exact vector, so that every new size is a miss (on the grid most would hit)
    missing =
        predictor()
            .historyNeighbours(StoreNeighbourReplay.adapter(store, 0))
            .historyNeighboursGate(0)
            .build();
    for (ExecutionRecord r : records) {
      inMemory.accept(r);
      withStore.accept(r);
      missing.accept(r);
    }
    inMemory.retrain();
    withStore.retrain();
    missing.retrain();
    calls = List.of(features(0, 1.5), features(1, 4.5), features(2, 7.5));
    for (CallFeatures call : calls) {
      if (!inMemory.predict(call).source().equals(AdaptivePredictor.MODEL)) {
        throw new IllegalStateException("kNN does not answer " + call + ": " + inMemory.report());
      }
      withStore.predict(call); // a miss: queries in the background
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (withStore.neighbourStats().queries() < calls.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "store queries did not land: " + withStore.neighbourStats());
      }
      Thread.sleep(1); // set-up only, not measured
    }
    long before = withStore.neighbourStats().storeAnswers();
    calls.forEach(withStore::predict);
    if (withStore.neighbourStats().storeAnswers() != before + calls.size()) {
      throw new IllegalStateException("the cache is not warm: " + withStore.neighbourStats());
    }
  }

  /** Prints the counters and closes everything. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    System.out.println("\nwarm: " + withStore.neighbourStats());
    System.out.println("miss: " + missing.neighbourStats());
    withStore.close();
    missing.close();
    inMemory.close();
    store.close();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static AdaptivePredictor.Builder predictor() {
    return AdaptivePredictor.builder()
        .latencyModel(LatencyModelType.NEAREST_NEIGHBOURS)
        .retrainEvery(Integer.MAX_VALUE)
        .trainingExecutor(Runnable::run);
  }

  private static CallFeatures features(int tool, double size) {
    return new CallFeatures(TOOLS[tool], Map.of("size", size), 1 + tool, 1);
  }

  private static List<ExecutionRecord> records() {
    Random random = new Random(21);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<ExecutionRecord> out = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      String tool = TOOLS[random.nextInt(TOOLS.length)];
      double size = random.nextDouble() * 10;
      boolean ok = random.nextDouble() < 1 / (1 + Math.exp(1.5 * (size - 5)));
      double millis =
          20 * (size >= 3 && size < 6 ? 4.5 : 1) * Math.exp(0.1 * random.nextGaussian());
      out.add(
          ExecutionRecord.builder()
              .tool(tool)
              .callId("c" + i)
              .traceId("0".repeat(32))
              .spanId(String.format("%016x", i + 1))
              .runId("run")
              .start(t0.plusMillis(i))
              .duration(Duration.ofNanos(Math.round(millis * 1e6)))
              .status(ok ? CallStatus.SUCCEEDED : CallStatus.FAILED)
              .errorType(ok ? null : "java.io.IOException")
              .attempts(1)
              .queueWait(Duration.ZERO)
              .inFlight(1)
              .cacheHit(false)
              .features(Map.of("size", size))
              .build());
    }
    return out;
  }

  /** The in-memory kNN alone (the store not configured). */
  @Benchmark
  public Object inMemoryKnn() {
    return inMemory.predict(calls.get(next++ % 3));
  }

  /** Answered from the warm cache of store estimates. */
  @Benchmark
  public Object storeWarmCache() {
    return withStore.predict(calls.get(next++ % 3));
  }

  /** A call never seen: the in-memory kNN answers, a store query is offered to the queue. */
  @Benchmark
  public Object storeMiss() {
    int tool = next++ % 3;
    return missing.predict(features(tool, 1 + (unseen++ % 1_000_000) * 8e-6));
  }
}
