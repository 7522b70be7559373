package dev.parallax.benchmarks;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.adaptive.HistoryNeighbours;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.adaptive.NeighbourCacheStats;
import dev.parallax.analysis.FeatureSet;
import dev.parallax.analysis.TraceReaders;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.storage.neighbours.StoreNeighbours;
import dev.parallax.storage.neighbours.ToolScaledVectorizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Replays the real workflows ({@code examples/workflows/real/APP/}, every instance in file-name
 * order, each instance's tasks in file order, pre-call features only) through two live predictors
 * with the default settings — one with the embedded store's neighbours on the call path ({@link
 * AdaptivePredictor.Builder#historyNeighbours}), one without — and scores every task of a tool seen
 * before, predicted just before it is accepted, next to the tool's running mean log latency.
 *
 * <p>After each prediction the store queries the live predictor scheduled are run (as a query
 * thread that keeps up would while the task runs: a query costs about a millisecond, the workflows'
 * tasks seconds), then the task's record is accepted by both predictors and appended to the store.
 * The live predictor uses its default gate: the store answers for a tool once it beat the in-memory
 * index on 30 of the tool's finished calls with confidence. Trainings run synchronously, so a
 * replay is deterministic. The store's space is fitted on all tasks' features (not latencies).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.parallax.benchmarks.StoreNeighbourReplay
 * [examples/workflows/real [default|knn [RESOLUTION]]]</pre>
 *
 * <p>With {@code knn}, k nearest neighbours is the only latency candidate (still gated against the
 * moving average), to see the store where the selection would choose it. RESOLUTION is the cache
 * key's grid in standard deviations (default 0.1, the facade's; 0: the exact vector).
 */
public final class StoreNeighbourReplay {

  private StoreNeighbourReplay() {}

  private static boolean knnOnly;
  private static double resolution = 0.1;

  /** Runs the replay over every application directory. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "examples/workflows/real");
    knnOnly = args.length > 1 && args[1].equals("knn");
    resolution = args.length > 2 ? Double.parseDouble(args[2]) : 0.1;
    System.out.println("cache key: standardised features on a grid of " + resolution + " sd");
    System.out.println(
        knnOnly
            ? "latency candidates: k nearest neighbours only (gated against the moving average)"
            : "latency candidates: the defaults (linear SGD, CART, k nearest neighbours)");
    List<Path> apps;
    try (Stream<Path> s = Files.list(root)) {
      apps = s.filter(Files::isDirectory).sorted().toList();
    }
    System.out.println(
        "| application | scored | kNN lookups | answered by the store | MAE ratio, store on |"
            + " MAE ratio, in-memory kNN | store queries | dropped | failures |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    double sumLive = 0;
    double sumMemory = 0;
    for (Path app : apps) {
      Result r = replay(app);
      sumLive += r.live;
      sumMemory += r.memory;
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %.1f%% | %.3f | %.3f | %d | %d | %d |%n",
          app.getFileName(),
          r.scored,
          r.stats.lookups(),
          100.0 * r.stats.storeAnswers() / r.scored,
          r.live,
          r.memory,
          r.stats.queries(),
          r.stats.dropped(),
          r.stats.failures());
    }
    System.out.printf(
        Locale.ROOT,
        "| average | | | | %.3f | %.3f | | | |%n",
        sumLive / apps.size(),
        sumMemory / apps.size());
  }

  private record Result(int scored, double live, double memory, NeighbourCacheStats stats) {}

  static Result replay(Path app) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(app)) {
      files =
          s.filter(f -> f.toString().endsWith(".json")).sorted(Comparator.naturalOrder()).toList();
    }
    HexFormat hex = HexFormat.of();
    List<ExecutionRecord> records = new ArrayList<>();
    for (Path f : files) {
      String instance = f.getFileName().toString();
      for (SimulatedCall call : FeatureSet.PRE_CALL.apply(TraceReaders.read(f)).tasks()) {
        int i = records.size();
        records.add(
            ExecutionRecord.builder()
                .tool(call.tool())
                .callId(instance + "/" + call.id())
                .traceId("0".repeat(32))
                .spanId(hex.toHexDigits((long) i + 1))
                .runId(instance)
                .start(Instant.EPOCH.plusMillis(i))
                .duration(call.duration())
                .status(call.succeeds() ? CallStatus.SUCCEEDED : CallStatus.FAILED)
                .errorType(call.succeeds() ? null : "failed")
                .attempts(1)
                .queueWait(Duration.ZERO)
                .inFlight(0)
                .cacheHit(false)
                .features(call.features())
                .build());
      }
    }
    Path dir = Files.createTempDirectory("parallax-replay-");
    try (EmbeddedHistoryStore store =
        EmbeddedHistoryStore.open(dir, ToolScaledVectorizer.fit(records))) {
      HeldExecutor queries = new HeldExecutor();
      HistoryNeighbours neighbours = adapter(store, resolution);
      try (AdaptivePredictor live =
              options().historyNeighbours(neighbours).historyNeighboursExecutor(queries).build();
          AdaptivePredictor memory = options().build()) {
        Map<String, double[]> means = new HashMap<>(); // sum, count of log latency
        double eLive = 0;
        double eMemory = 0;
        double eMean = 0;
        int scored = 0;
        for (ExecutionRecord r : records) {
          double y = log(r.duration());
          double[] m = means.get(r.tool());
          if (m != null) {
            CallFeatures call = new CallFeatures(r.tool(), r.features(), 0, 1);
            eLive += Math.abs(y - log(live.predict(call).latency()));
            eMemory += Math.abs(y - log(memory.predict(call).latency()));
            eMean += Math.abs(y - m[0] / m[1]);
            scored++;
          }
          queries.runAll(); // the queries land while the task runs
          live.accept(r);
          memory.accept(r);
          store.append(List.of(r));
          double[] sum = means.computeIfAbsent(r.tool(), t -> new double[2]);
          sum[0] += y;
          sum[1]++;
        }
        return new Result(scored, eLive / eMean, eMemory / eMean, live.neighbourStats());
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static AdaptivePredictor.Builder options() {
    AdaptivePredictor.Builder b =
        AdaptivePredictor.builder()
            .trainingExecutor(Runnable::run)
            .windowAge(Duration.ofDays(3650)); // replayed times are not wall-clock times
    return knnOnly ? b.latencyModel(LatencyModelType.NEAREST_NEIGHBOURS) : b;
  }

  /** The facade's adapter ({@code ParallaxBuilder.storeNeighbours}), repeated here. */
  static HistoryNeighbours adapter(EmbeddedHistoryStore store, double resolution) {
    StoreNeighbours keys = StoreNeighbours.of(store, 1);
    return new HistoryNeighbours() {
      @Override
      public Object key(String tool, Map<String, Double> features) {
        return keys.key(tool, features, resolution);
      }

      @Override
      public double logLatency(String tool, Map<String, Double> features, int k) {
        return StoreNeighbours.of(store, k).estimate(tool, features).logLatency();
      }
    };
  }

  private static double log(Duration d) {
    return Math.log(Math.max(1e-6, d.toNanos() / 1e9));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Holds the store queries until the replay runs them. */
  private static final class HeldExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      Runnable r;
      while ((r = tasks.poll()) != null) {
        r.run();
      }
    }
  }
}
