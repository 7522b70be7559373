package dev.parallax.samples.bench.workload;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.fallback.ToolFallbacks;
import dev.parallax.planner.fallback.ToolFallbacksBuilder;
import dev.parallax.samples.bench.model.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code flaky} workload's second scenario: two tools sharing a capability, one quick but
 * unreliable (declared first), one slower but reliable; every call may fall back to the other after
 * a failure. {@code fixed_order} always starts with the declared first tool; {@code by_prediction}
 * lets {@link ToolFallbacksBuilder#chooseByPrediction} pick the tool with the best predicted
 * expected time to a success, asking a real {@link AdaptivePredictor} that starts cold (its prior,
 * the same for both tools) and learns online from the executor's records.
 */
/*
 * Each call's fate is drawn once from the seed, per tool: a log-normal duration and whether that
 * tool fails on it (after its duration). Both policies run the same turns with the policy's
 * default circuit breakers (50% failures over the last 100 calls opens for 60 s). Without the
 * breakers a call would fail only when both tools fail on it, whichever runs first; with them, a
 * tool whose circuit is open is no fallback, so the order matters for the success rate too: in
 * fixed_order the quick tool's circuit opens now and then (its failure rate is near the
 * threshold), calls then start on the steady tool and, when it fails, have nothing left. What the
 * choice changes besides: the latency (a failed first try costs its duration before the fallback)
 * and the number of attempts. first_choice_share counts the tool of each call's first attempt.
 */
final class FlakyAlternatives {

  static final String QUICK = "search_quick";
  static final String STEADY = "search_steady";
  static final double QUICK_MEDIAN_S = 0.070;
  static final double QUICK_FAILURE = 0.45;
  static final double STEADY_MEDIAN_S = 0.100;
  static final double STEADY_FAILURE = 0.03;

  /** One call: how each tool behaves on it. */
  record Fate(
      String id, Duration quick, boolean quickFails, Duration steady, boolean steadyFails) {}

  private FlakyAlternatives() {}

  /** Runs both policies over the same turns; the figures for the workload's JSON. */
  static Map<String, Object> run(Sizes sizes, long seed) {
    List<List<Fate>> turns = turns(sizes, new Random(seed));
    Map<String, Object> policies = new LinkedHashMap<>();
    policies.put("fixed_order", runPolicy(sizes, turns, false));
    policies.put("by_prediction", runPolicy(sizes, turns, true));
    Map<String, Object> tools = new LinkedHashMap<>();
    tools.put(
        QUICK, Map.of("median_ms", 1000 * QUICK_MEDIAN_S, "failure_probability", QUICK_FAILURE));
    tools.put(
        STEADY, Map.of("median_ms", 1000 * STEADY_MEDIAN_S, "failure_probability", STEADY_FAILURE));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("declared_order", List.of(QUICK, STEADY));
    out.put("tools", tools);
    out.put("predictor", "AdaptivePredictor, cold start, per-tool moving averages learned online");
    out.put("policies", policies);
    return out;
  }

  private static Map<String, Object> runPolicy(
      Sizes sizes, List<List<Fate>> turns, boolean byPrediction) {
    VirtualTime time = new VirtualTime();
    Backend backend = new Backend(time);
    ToolFallbacksBuilder fallbacks =
        ToolFallbacks.builder()
            .capability("search", List.of(backend.quick, backend.steady))
            .timeSource(time);
    List<Double> latencies = new ArrayList<>();
    long calls = 0;
    long succeeded = 0;
    Map<String, Long> firstChoice = new LinkedHashMap<>(Map.of(QUICK, 0L, STEADY, 0L));
    try (AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .trainingExecutor(Runnable::run)
            .retrainEvery(Integer.MAX_VALUE)
            .build()) {
      ToolExecutor.Builder executorBuilder =
          ToolExecutor.builder()
              .timeSource(time)
              .runner(backend)
              .maxConcurrency(sizes.flakyCallsPerTurn());
      if (byPrediction) {
        fallbacks.chooseByPrediction(predictor);
        executorBuilder.predictor(predictor).recordSink(predictor);
      }
      try (ToolExecutor executor = fallbacks.build().attachTo(executorBuilder).build()) {
        for (List<Fate> turn : turns) {
          List<ToolCall<?, ?>> list = new ArrayList<>(turn.size());
          for (Fate fate : turn) {
            list.add(ToolCall.of(fate.id(), backend.quick, fate));
          }
          ToolRun run = executor.start(ExecutionPlan.parallel(list));
          time.runUntilIdle();
          if (!run.isDone()) {
            run.cancel();
            throw new IllegalStateException("an alternatives turn did not finish in virtual time");
          }
          RunResult result = run.result().join();
          for (CallResult<?> r : result.results()) {
            calls++;
            succeeded += r.isSuccess() ? 1 : 0;
            latencies.add(Durations.millis(Duration.between(r.queuedAt(), r.finishedAt())));
            firstChoice.merge(backend.firstTool.get(r.callId()), 1L, Long::sum);
          }
        }
      }
    }
    double[] ms = latencies.stream().mapToDouble(d -> d).toArray();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("success_rate", (double) succeeded / calls);
    figures.put("p95_ms", Stats.percentile(ms, 95));
    figures.put("mean_ms", Stats.mean(ms));
    figures.put("tool_executions", backend.started.get());
    Map<String, Object> share = new LinkedHashMap<>();
    for (var e : firstChoice.entrySet()) {
      share.put(e.getKey(), (double) e.getValue() / calls);
    }
    figures.put("first_choice_share", share);
    return figures;
  }

  private static List<List<Fate>> turns(Sizes sizes, Random random) {
    List<List<Fate>> turns = new ArrayList<>(sizes.flakyTurns());
    for (int t = 0; t < sizes.flakyTurns(); t++) {
      List<Fate> turn = new ArrayList<>(sizes.flakyCallsPerTurn());
      for (int c = 0; c < sizes.flakyCallsPerTurn(); c++) {
        turn.add(
            new Fate(
                "t" + t + "-c" + c,
                Records.seconds(QUICK_MEDIAN_S * Math.exp(0.3 * random.nextGaussian())),
                random.nextDouble() < QUICK_FAILURE,
                Records.seconds(STEADY_MEDIAN_S * Math.exp(0.2 * random.nextGaussian())),
                random.nextDouble() < STEADY_FAILURE));
      }
      turns.add(turn);
    }
    return turns;
  }

  /** The two tools and the runner that plays them in virtual time. */
  private static final class Backend implements CallRunner {
    private final VirtualTime time;
    final AtomicLong started = new AtomicLong();
    final Map<String, String> firstTool = new ConcurrentHashMap<>();
    final Tool<Fate, String> quick = tool(QUICK);
    final Tool<Fate, String> steady = tool(STEADY);

    Backend(VirtualTime time) {
      this.time = time;
    }

    @Override
    public Cancellable start(AttemptExecution attempt) {
      Fate fate = (Fate) attempt.call().call().input();
      if (fate == null) {
        throw new IllegalStateException("not an alternatives call: " + attempt.call().callId());
      }
      started.incrementAndGet();
      String tool = attempt.call().tool().name();
      firstTool.putIfAbsent(fate.id(), tool);
      boolean isQuick = tool.equals(QUICK);
      Duration duration = isQuick ? fate.quick() : fate.steady();
      boolean fails = isQuick ? fate.quickFails() : fate.steadyFails();
      return fails
          ? attempt.completeAfter(
              time, duration, null, new IllegalStateException(tool + " failed on " + fate.id()))
          : attempt.completeAfter(time, duration, tool + " answered " + fate.id(), null);
    }

    private static Tool<Fate, String> tool(String name) {
      return Tools.named(name)
          .description("simulated " + name)
          .capabilities("search")
          .input(Fate.class)
          .function(
              (call, context) -> {
                throw new IllegalStateException(
                    "simulated tool " + name + " runs only in virtual time");
              });
    }
  }
}
