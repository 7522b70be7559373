package dev.parallax.samples.demo;

import dev.parallax.Parallax;
import dev.parallax.ParallaxBuilder;
import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.adaptive.Gain;
import dev.parallax.adaptive.ToolModelChoice;
import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.fallback.ToolFallbacks;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * What the planner adds, run for real through the {@link Parallax} facade: graph scheduling that
 * improves once latencies are learnt, and the learning loop itself. Tools sleep where the point is
 * latency.
 */
public final class PlannerScenarios {

  private static final Duration FLUSH = Duration.ofSeconds(30);

  private final PrintWriter out;
  private final Supplier<ParallaxBuilder> parallax;

  /**
   * Prints to {@code out}; each scenario builds its own {@link Parallax} from {@code parallax} (a
   * builder with the history store already chosen).
   */
  public PlannerScenarios(PrintWriter out, Supplier<ParallaxBuilder> parallax) {
    this.out = out;
    this.parallax = parallax;
  }

  /** Runs every scenario. */
  public void runAll() {
    graphScheduling();
    try (LoopbackServer server = new LoopbackServer()) {
      caching(server);
      fallback(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the loopback HTTP server", e);
    }
    learningLoop();
  }

  /** A graph where submission order wastes a slot, and critical-path order does not. */
  void graphScheduling() {
    header(7, "Graph scheduling on the critical path");
    out.println(
        "2 slots; 4 fetches of 100 ms, a 400 ms render, and parse -> index -> answer of 30 ms each");
    List<GraphCall> graph =
        List.of(
            new GraphCall("fetch1", "fetch", 100),
            new GraphCall("fetch2", "fetch", 100),
            new GraphCall("fetch3", "fetch", 100),
            new GraphCall("fetch4", "fetch", 100),
            new GraphCall("parse", "parse", 30),
            new GraphCall("index", "index", 30, "parse"),
            new GraphCall("answer", "answer", 30, "index"),
            new GraphCall("render", "render", 400));
    ExecutionPlan plan = plan(graph).withMaxConcurrency(2);
    try (ToolExecutor fifo = ToolExecutor.builder().build()) {
      fifo.execute(plan); // warm-up
      report("FIFO (submission order)", fifo.execute(plan));
    }
    try (Parallax p = parallax.get().build()) {
      report(
          p.warmStartRecords() == 0
              ? "critical path, nothing learnt yet"
              : "critical path, warm-started from history",
          p.executor().execute(plan));
      p.flushHistory(FLUSH);
      report("critical path, after one run", p.executor().execute(plan));
    }
    Workload w =
        new Workload(
            "demo",
            graph.stream()
                .map(c -> SimulatedCall.of(c.id, c.tool, Duration.ofMillis(c.millis), c.dependsOn))
                .toList());
    out.printf(
        Locale.ROOT,
        "  %-38s %s (critical path %s, total work %s)%n",
        "lower bound at 2 slots",
        SeedScenarios.ms(w.lowerBound(2)),
        SeedScenarios.ms(w.criticalPath()),
        SeedScenarios.ms(w.totalWork()));
  }

  /** Concurrent identical calls to a real HTTP service run once; later ones are cache hits. */
  void caching(LoopbackServer server) {
    header(8, "Result cache with single flight (real HTTP on the loopback interface)");
    out.println("tool 'weather' (cacheable, idempotent) GETs a local server that answers in 50 ms");
    Tool<String, String> weather =
        HttpTools.get("weather", server.uri("/weather"), b -> b.cacheable(true));
    List<ToolCall<?, ?>> lisbon = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lisbon.add(ToolCall.of("w" + i, weather, "Lisbon"));
    }
    try (Parallax p = parallax.get().build()) {
      RunResult first = p.executor().executeParallel(lisbon);
      out.printf(
          Locale.ROOT,
          "  20 identical calls at once: %s, %d cache hits, %d request(s) reached the server%n",
          SeedScenarios.ms(first.report().elapsed()),
          first.results().stream().filter(r -> r.cacheHit()).count(),
          server.requests("/weather"));
      RunResult again = p.executor().executeParallel(lisbon);
      out.printf(
          Locale.ROOT,
          "  the same 20 calls again:    %s, %d cache hits, %d request(s) reached the server%n",
          SeedScenarios.ms(again.report().elapsed()),
          again.results().stream().filter(r -> r.cacheHit()).count(),
          server.requests("/weather"));
      RunResult porto =
          p.executor().executeParallel(List.of(ToolCall.of("other", weather, "Porto")));
      out.printf(
          Locale.ROOT,
          "  another city:               %s, cache hit: %s (arguments are part of the key)%n",
          SeedScenarios.ms(porto.report().elapsed()),
          porto.get("other").cacheHit());
    }
  }

  /** A flaky primary and a healthy mirror sharing a capability: the mirror answers the failures. */
  void fallback(LoopbackServer server) {
    header(9, "Fallback to an alternative tool (real HTTP on the loopback interface)");
    out.println(
        "'search_primary' fails 30% of requests with HTTP 503; 'search_mirror' is healthy; both"
            + " declare capability web_search");
    Tool<String, String> primary =
        HttpTools.get(
            "search_primary", server.uri("/search/primary"), b -> b.capabilities("web_search"));
    Tool<String, String> mirror =
        HttpTools.get(
            "search_mirror", server.uri("/search/mirror"), b -> b.capabilities("web_search"));
    List<ToolCall<?, ?>> searches = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      searches.add(ToolCall.of("s" + i, primary, "query " + i));
    }
    try (Parallax without = parallax.get().build()) {
      RunResult run = without.executor().executeParallel(searches);
      out.printf(
          Locale.ROOT,
          "  without fallback: %d of 50 succeeded%n",
          run.report().count(CallStatus.SUCCEEDED));
    }
    ToolFallbacks fallbacks =
        ToolFallbacks.builder().capability("web_search", List.of(primary, mirror)).build();
    try (Parallax with = parallax.get().fallback(fallbacks).build()) {
      RunResult run = with.executor().executeParallel(searches);
      List<CallResult<?>> swapped =
          run.results().stream().filter(r -> r.fallbackFrom() != null).toList();
      out.printf(
          Locale.ROOT,
          "  with fallback:    %d of 50 succeeded; %d answered by the mirror%n",
          run.report().count(CallStatus.SUCCEEDED),
          swapped.size());
      if (!swapped.isEmpty()) {
        CallResult<?> r = swapped.get(0);
        out.printf(
            Locale.ROOT,
            "  for example [%s]: answered by %s instead of %s because %s%n",
            r.callId(),
            r.tool(),
            r.fallbackFrom(),
            r.fallbackReason());
      }
    }
  }

  /**
   * Latency depends on the input: each round, the error of the predictions the engine used, next to
   * what the per-tool moving average alone would have said, with the interval of their ratio; and
   * what the last training decided and why.
   */
  @SuppressWarnings("try") // the subscription is only closed
  void learningLoop() {
    header(10, "The learning loop: what the predictor answers, round by round");
    out.println(
        "tool 'resize' takes 5 ms + size/5 ms (size 10..400); 8 rounds of 40 calls; retrain after"
            + " each round;");
    out.println(
        "error = mean |ln(predicted / actual)| of the predictions the engine used; the moving"
            + " average alone is");
    out.println(
        "scored on the same calls; ratio = error / moving-average error [95% interval]. The model"
            + " answers only");
    out.println(
        "once it beats the moving average with confidence on 15+ held-out calls (demo setting; the"
            + " default is 30).");
    Tool<Map<String, Double>, String> resize =
        Tools.named("resize")
            .description("resizes an image; slower for bigger ones")
            .idempotent(true)
            .<Map<String, Double>>input(castMap())
            .features(in -> in)
            .function(
                (in, ctx) -> {
                  Thread.sleep(Duration.ofMillis(5 + Math.round(in.get("size") / 5)));
                  return "resized";
                });
    Random random = new Random(42);
    ConcurrentLinkedQueue<ExecutionRecord> records = new ConcurrentLinkedQueue<>();
    AdaptivePredictor movingAverage =
        AdaptivePredictor.builder().retrainEvery(Integer.MAX_VALUE).build();
    try (Parallax p =
            parallax
                .get()
                .predictorOptions(
                    b -> b.retrainEvery(40).minTrainingRows(40).gate(15, 0.02).seed(42))
                .build();
        AutoCloseable tap = p.telemetry().subscribe(records::add);
        movingAverage) {
      for (int round = 1; round <= 8; round++) {
        List<ToolCall<?, ?>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          double size = 10 + random.nextInt(390);
          calls.add(ToolCall.of("r" + round + "-" + i, resize, Map.of("size", size)));
        }
        records.clear();
        p.executor().executeParallel(calls);
        p.flushHistory(FLUSH);
        List<Double> used = new ArrayList<>();
        List<Double> average = new ArrayList<>();
        for (ExecutionRecord r : records) {
          if (r.predictedLatency() != null && r.duration().toNanos() > 0) {
            used.add(logError(r.predictedLatency(), r.duration()));
            average.add(
                logError(movingAverage.predict(CallFeatures.of(r)).latency(), r.duration()));
          }
        }
        records.forEach(movingAverage);
        Gain gain =
            Gain.bootstrap(
                used.stream().mapToDouble(Double::doubleValue).toArray(),
                average.stream().mapToDouble(Double::doubleValue).toArray(),
                round);
        out.printf(
            Locale.ROOT,
            "  round %d: prediction error %.2f, moving average %.2f, ratio %s; answered by %s%n",
            round,
            mean(used),
            mean(average),
            round == 1 ? "- (nothing learnt yet)" : gain.toString(),
            sources(records));
      }
      var report = p.predictor().report();
      ToolModelChoice choice = report.latencyByTool().get("resize");
      out.printf(
          Locale.ROOT,
          "  last training (%d records, %d held out): resize: %s%n",
          report.trainRows(),
          report.heldOutRows(),
          choice == null
              ? "no latency model (" + report.note() + ")"
              : "model "
                  + choice.model()
                  + ", ratio to the moving average on its test calls "
                  + choice.gain()
                  + " -> "
                  + (choice.used()
                      ? "the model answers"
                      : "the moving average answers (" + choice.reason() + ")"));
      out.printf(Locale.ROOT, "  %d records in history%n", p.history().count());
    } catch (Exception e) {
      throw new IllegalStateException("learning loop failed: " + e.getMessage(), e);
    }
  }

  private static double logError(Duration predicted, Duration actual) {
    return Math.abs(Math.log((double) Math.max(1, predicted.toNanos()) / actual.toNanos()));
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  @SuppressWarnings("unchecked")
  private static Class<Map<String, Double>> castMap() {
    return (Class<Map<String, Double>>) (Class<?>) Map.class;
  }

  private static String sources(Iterable<ExecutionRecord> records) {
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (ExecutionRecord r : records) {
      counts.merge(String.valueOf(r.predictionSource()), 1, Integer::sum);
    }
    return counts.toString();
  }

  private void report(String label, RunResult run) {
    out.printf(Locale.ROOT, "  %-38s %s%n", label, SeedScenarios.ms(run.report().elapsed()));
  }

  private void header(int number, String title) {
    out.printf(Locale.ROOT, "%n--- Demo %d: %s ---%n", number, title);
    out.flush();
  }

  private static ExecutionPlan plan(List<GraphCall> calls) {
    CallGraph.Builder graph = CallGraph.builder();
    Map<String, Tool<Object, String>> tools = new HashMap<>();
    for (GraphCall c : calls) {
      Tool<Object, String> tool =
          tools.computeIfAbsent(
              c.tool, name -> DemoTools.sleeping(name, Duration.ofMillis(c.millis)));
      graph.add(ToolCall.of(c.id, tool, c.id), c.dependsOn);
    }
    return ExecutionPlan.graph(graph.build());
  }

  private record GraphCall(String id, String tool, long millis, String... dependsOn) {}
}
