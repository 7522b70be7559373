package dev.parallax.samples.bench.workload;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.Stats;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Hedged calls against a heavy-tailed backend: no hedging, the classic fixed-delay hedge at the
 * best delay of a sweep, and Parallax's hedge at the predicted upper latency; on the single
 * tool and on a mix of tools whose typical latencies differ.
 */
/*
 * Agent turns of CALLS_PER_TURN parallel calls run through the real executor in virtual time, turn
 * after turn (HedgeBackend: log-normal, sigma 0.5, 2% stragglers at 10x). A call's latency is from
 * its start to its result. Two cases, each with every policy:
 *
 * - single (the case, the top-level JSON names): one tool, median 100 ms. One stationary
 *   distribution is the fixed delay's best case: the swept delay is tuned on the very draws it is
 *   scored on.
 * - mixed (workloads.hedging.mixed): four tools of the same tail shape with medians 25, 80, 250 and
 *   800 ms (32x apart), calls dealt round-robin. One delay cannot fit them all. Its figure of merit
 *   is the p99 of the slowdown (a call's latency divided by its tool's median), so that the fast
 *   tools' tails count as much as the slow tool's; per-tool p99s are reported too.
 *
 * Policies:
 * - none: no hedging.
 * - fixed_delay: HedgePolicy.fixedDelay(d), the same 10% budget, for every d of the case's sweep;
 *   the d with the lowest p99 (slowdown) is reported (Resilience4j's hedge is a fixed delay; a
 *   budget keeps the comparison fair: without one a short delay "wins" by doubling the load).
 * - predicted: HedgePolicy with the same budget and a fresh AdaptivePredictor as the executor's
 *   predictor and record sink: it starts cold (its prior: 1 s, upper 10 s, so nothing is hedged
 *   until it has seen the tool) and learns from the workload's own records as they come, retraining
 *   synchronously (trainingExecutor(Runnable::run)) so that the run is deterministic. The delay of
 *   each call is the predictor's upper latency (a streaming p90 per tool, which also learns from the
 *   cancelled losers of hedged calls as lower bounds); the generator's parameters are never used.
 *   Its moving-average weight is swept like the fixed delay (ALPHAS) and the best is reported.
 *
 * upper_coverage: the share of calls whose first attempt's draw ended within the upper latency
 * predicted for the call (a calibrated p90 gives 0.9; the first calls, on the prior, included).
 * extra_calls_share = (attempts the backend started - calls) / calls.
 */
final class HedgingWorkload implements BenchWorkload {

  static final int CALLS_PER_TURN = 8;
  static final double BUDGET = 0.1;
  private static final double[] SINGLE = {HedgeBackend.MEDIAN_MS};
  private static final long[] DELAYS_MS = {
    125, 150, 175, 200, 225, 250, 275, 300, 350, 400, 500, 600, 800, 1000
  };
  static final double[] MIXED = {25, 80, 250, 800};
  private static final long[] MIXED_DELAYS_MS = {
    25, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1200, 1600, 2400, 3200
  };

  @Override
  public String name() {
    return "hedging";
  }

  @Override
  public String description() {
    return "heavy-tailed tools (one; a mix of four): no hedge, best fixed-delay hedge, hedge at the"
        + " predicted p90";
  }

  /**
   * Weights of the predictor's moving averages tried, its default first: its parameter is swept as
   * the fixed delay is, and the best is reported with all of the sweep.
   */
  private static final double[] ALPHAS = {0.1, 0.05, 0.02};

  private static final double DEFAULT_ALPHA = 0.1;

  /**
   * The predicted hedge with a fresh, cold predictor (moving-average weight {@code alpha}) learning
   * from this run's own records; counts which source answered each prediction.
   */
  static Outcome predicted(
      int calls, long seed, double[] medians, double alpha, Map<String, Long> sources) {
    Map<Integer, Duration> uppers = new ConcurrentHashMap<>();
    try (AdaptivePredictor model =
        AdaptivePredictor.builder().baselineAlpha(alpha).trainingExecutor(Runnable::run).build()) {
      HedgePolicy policy = HedgePolicy.builder().budget(BUDGET).build();
      Outcome o =
          measure(
              calls,
              seed,
              medians,
              b ->
                  b.hedging(policy)
                      .predictor(
                          call -> {
                            Prediction p = model.predict(call);
                            sources.merge(p.source(), 1L, Long::sum);
                            if (call.call().input() instanceof HedgeBackend.HedgeCall h) {
                              uppers.putIfAbsent(h.index(), p.upperLatency());
                            }
                            return p;
                          })
                      .recordSink(model));
      HedgeBackend draws = new HedgeBackend(new VirtualTime(), seed, medians);
      long[] within = new long[medians.length];
      long[] seen = new long[medians.length];
      uppers.forEach(
          (i, upper) -> {
            int t = draws.toolIndex(i);
            seen[t]++;
            if (draws.latency(i, 1).compareTo(upper) <= 0) {
              within[t]++;
            }
          });
      double[] coverage = new double[medians.length];
      for (int t = 0; t < medians.length; t++) {
        coverage[t] = seen[t] == 0 ? Double.NaN : (double) within[t] / seen[t];
      }
      return o.withCoverage(
          (double) Arrays.stream(within).sum() / Math.max(1, Arrays.stream(seen).sum()), coverage);
    }
  }

  /** Calls of the workload: five times the calls of {@code flaky}. */
  static int calls(Sizes sizes) {
    return 5 * sizes.flakyTurns() * sizes.flakyCallsPerTurn();
  }

  /**
   * What one policy measured.
   *
   * @param p99Slowdown p99 of latency divided by the call's tool's median
   * @param p99MsByTool p99 of each tool's calls
   * @param upperCoverage share of calls whose first draw ended within the predicted upper latency
   *     (NaN unless predicted)
   * @param coverageByTool the same per tool
   */
  record Outcome(
      double p99Ms,
      double p95Ms,
      double p50Ms,
      double meanMs,
      double extraShare,
      long hedgesWon,
      double p99Slowdown,
      double[] p99MsByTool,
      double upperCoverage,
      double[] coverageByTool) {

    Outcome withCoverage(double coverage, double[] byTool) {
      return new Outcome(
          p99Ms,
          p95Ms,
          p50Ms,
          meanMs,
          extraShare,
          hedgesWon,
          p99Slowdown,
          p99MsByTool,
          coverage,
          byTool);
    }
  }

  /** All policies of one case. */
  private record CaseResult(
      Outcome none,
      long bestDelay,
      Map<Long, Outcome> sweep,
      double bestAlpha,
      Map<Double, Outcome> alphaSweep,
      Map<Double, Map<String, Long>> sourcesByAlpha) {

    Outcome fixed() {
      return sweep.get(bestDelay);
    }

    Outcome predicted() {
      return alphaSweep.get(bestAlpha);
    }
  }

  private static CaseResult runCase(
      WorkloadContext context, int calls, long seed, double[] medians, long[] delays) {
    Outcome none = measure(calls, seed, medians, UnaryOperator.identity());
    context.progress().step();
    Map<Long, Outcome> sweep = new TreeMap<>();
    long bestDelay = -1;
    for (long delay : delays) {
      HedgePolicy fixed =
          HedgePolicy.builder().budget(BUDGET).fixedDelay(Duration.ofMillis(delay)).build();
      Outcome o = measure(calls, seed, medians, b -> b.hedging(fixed));
      sweep.put(delay, o);
      if (bestDelay < 0 || o.p99Slowdown() < sweep.get(bestDelay).p99Slowdown()) {
        bestDelay = delay;
      }
      context.progress().step();
    }
    Map<Double, Outcome> alphaSweep = new TreeMap<>();
    Map<Double, Map<String, Long>> sourcesByAlpha = new TreeMap<>();
    double bestAlpha = Double.NaN;
    for (double alpha : ALPHAS) {
      Map<String, Long> sources = new TreeMap<>();
      Outcome o = predicted(calls, seed, medians, alpha, sources);
      alphaSweep.put(alpha, o);
      sourcesByAlpha.put(alpha, sources);
      if (Double.isNaN(bestAlpha) || o.p99Slowdown() < alphaSweep.get(bestAlpha).p99Slowdown()) {
        bestAlpha = alpha;
      }
      context.progress().step();
    }
    return new CaseResult(none, bestDelay, sweep, bestAlpha, alphaSweep, sourcesByAlpha);
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    int calls = calls(context.sizes());
    long seed = context.seedFor("hedging");
    long steps = 2L * (1 + ALPHAS.length) + DELAYS_MS.length + MIXED_DELAYS_MS.length;
    context.progress().phase("hedging: single tool and a mix, every policy", steps);

    CaseResult single = runCase(context, calls, seed, SINGLE, DELAYS_MS);
    CaseResult mixed = runCase(context, calls, seed, MIXED, MIXED_DELAYS_MS);
    Outcome none = single.none();
    Outcome fixed = single.fixed();
    Outcome predicted = single.predicted();
    Outcome predictedDefault = single.alphaSweep().get(DEFAULT_ALPHA);

    Map<String, Object> p99 = new LinkedHashMap<>();
    p99.put("none", none.p99Ms());
    p99.put("fixed_delay", fixed.p99Ms());
    p99.put("predicted", predicted.p99Ms());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("p99_ms", p99);
    fields.put("extra_calls_share", predicted.extraShare());
    fields.put("p99_ratio_predicted_to_none", predicted.p99Ms() / none.p99Ms());
    fields.put("p99_ratio_predicted_to_fixed_delay", predicted.p99Ms() / fixed.p99Ms());
    fields.put(
        "goals_met",
        predicted.p99Ms() <= 0.6 * none.p99Ms()
            && predicted.p99Ms() <= fixed.p99Ms()
            && predicted.extraShare() <= BUDGET);
    fields.put("fixed_delay_best_ms", single.bestDelay());
    fields.put("fixed_delay_extra_calls_share", fixed.extraShare());
    Map<String, Object> sweepFields = new LinkedHashMap<>();
    single
        .sweep()
        .forEach(
            (d, o) ->
                sweepFields.put(
                    String.valueOf(d),
                    Map.of("p99_ms", o.p99Ms(), "extra_calls_share", o.extraShare())));
    fields.put("fixed_delay_sweep", sweepFields);
    fields.put(
        "p50_ms",
        Map.of("none", none.p50Ms(), "fixed_delay", fixed.p50Ms(), "predicted", predicted.p50Ms()));
    fields.put(
        "hedges_won", Map.of("fixed_delay", fixed.hedgesWon(), "predicted", predicted.hedgesWon()));
    fields.put("predicted_upper_coverage", predicted.upperCoverage());
    fields.put("predicted_baseline_alpha", single.bestAlpha());
    fields.put("predicted_default_alpha_p99_ms", predictedDefault.p99Ms());
    fields.put("predicted_default_alpha_extra_calls_share", predictedDefault.extraShare());
    Map<String, Object> alphaFields = new LinkedHashMap<>();
    single
        .alphaSweep()
        .forEach(
            (a, o) ->
                alphaFields.put(
                    String.valueOf(a),
                    Map.of(
                        "p99_ms",
                        o.p99Ms(),
                        "extra_calls_share",
                        o.extraShare(),
                        "upper_coverage",
                        o.upperCoverage(),
                        "prediction_sources",
                        single.sourcesByAlpha().get(a))));
    fields.put("predicted_alpha_sweep", alphaFields);
    fields.put("calls", calls);
    fields.put("calls_per_turn", CALLS_PER_TURN);
    fields.put("budget", BUDGET);
    fields.put(
        "backend",
        Map.of(
            "median_ms", HedgeBackend.MEDIAN_MS,
            "sigma", HedgeBackend.SIGMA,
            "straggler_probability", HedgeBackend.STRAGGLER_PROBABILITY,
            "straggler_factor", HedgeBackend.STRAGGLER_FACTOR));
    fields.put("mixed", mixedFields(mixed));

    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    policies.put("none", figures(none, calls));
    policies.put("fixed_delay", figures(fixed, calls));
    policies.put("predicted", figures(predicted, calls));
    List<Chart.Bar> bars =
        List.of(
            new Chart.Bar("none", none.p99Ms()),
            new Chart.Bar("fixed_delay " + single.bestDelay() + " ms", fixed.p99Ms()),
            new Chart.Bar("predicted", predicted.p99Ms()));
    List<Chart.Bar> mixedBars =
        List.of(
            new Chart.Bar("none", mixed.none().p99Slowdown()),
            new Chart.Bar("fixed_delay " + mixed.bestDelay() + " ms", mixed.fixed().p99Slowdown()),
            new Chart.Bar("predicted", mixed.predicted().p99Slowdown()));
    return new WorkloadResult(
        name(),
        policies,
        fields,
        List.of(
            new Chart.Bars("hedging, one tool: p99 latency", "ms", bars),
            new Chart.Bars(
                "hedging, four tools (medians 25-800 ms): p99 of latency / tool median",
                "x",
                mixedBars)));
  }

  private static Map<String, Object> mixedFields(CaseResult mixed) {
    Outcome none = mixed.none();
    Outcome fixed = mixed.fixed();
    Outcome predicted = mixed.predicted();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put(
        "p99_slowdown", ordered(none.p99Slowdown(), fixed.p99Slowdown(), predicted.p99Slowdown()));
    f.put("p99_ms", ordered(none.p99Ms(), fixed.p99Ms(), predicted.p99Ms()));
    Map<String, Object> byTool = new LinkedHashMap<>();
    byTool.put("none", perTool(none.p99MsByTool()));
    byTool.put("fixed_delay", perTool(fixed.p99MsByTool()));
    byTool.put("predicted", perTool(predicted.p99MsByTool()));
    f.put("p99_ms_by_tool", byTool);
    f.put(
        "extra_calls_share",
        ordered(none.extraShare(), fixed.extraShare(), predicted.extraShare()));
    f.put(
        "p99_slowdown_ratio_predicted_to_fixed_delay",
        predicted.p99Slowdown() / fixed.p99Slowdown());
    f.put("p99_slowdown_ratio_predicted_to_none", predicted.p99Slowdown() / none.p99Slowdown());
    f.put("fixed_delay_best_ms", mixed.bestDelay());
    Map<String, Object> sweep = new LinkedHashMap<>();
    mixed
        .sweep()
        .forEach(
            (d, o) ->
                sweep.put(
                    String.valueOf(d),
                    Map.of(
                        "p99_slowdown",
                        o.p99Slowdown(),
                        "p99_ms_by_tool",
                        perTool(o.p99MsByTool()),
                        "extra_calls_share",
                        o.extraShare())));
    f.put("fixed_delay_sweep", sweep);
    f.put("predicted_baseline_alpha", mixed.bestAlpha());
    f.put("predicted_upper_coverage", predicted.upperCoverage());
    f.put("predicted_upper_coverage_by_tool", perTool(predicted.coverageByTool()));
    Map<String, Object> alphas = new LinkedHashMap<>();
    mixed
        .alphaSweep()
        .forEach(
            (a, o) ->
                alphas.put(
                    String.valueOf(a),
                    Map.of(
                        "p99_slowdown",
                        o.p99Slowdown(),
                        "extra_calls_share",
                        o.extraShare(),
                        "upper_coverage",
                        o.upperCoverage())));
    f.put("predicted_alpha_sweep", alphas);
    List<Double> medians = new ArrayList<>();
    for (double m : MIXED) {
      medians.add(m);
    }
    f.put("tool_median_ms", medians);
    return f;
  }

  private static Map<String, Object> ordered(double none, double fixed, double predicted) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("none", none);
    m.put("fixed_delay", fixed);
    m.put("predicted", predicted);
    return m;
  }

  private static Map<String, Object> perTool(double[] values) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int t = 0; t < values.length; t++) {
      m.put("tool-" + Math.round(MIXED[t]) + "ms", values[t]);
    }
    return m;
  }

  private static PolicyFigures figures(Outcome o, int calls) {
    return PolicyFigures.builder()
        .successRate(1.0)
        .p95Ms(o.p95Ms())
        .toolExecutions(Math.round(calls * (1 + o.extraShare())))
        .build();
  }

  /** Runs every turn under one policy, on a fresh clock, backend and executor. */
  static Outcome measure(
      int calls, long seed, double[] medians, UnaryOperator<ToolExecutor.Builder> options) {
    VirtualTime time = new VirtualTime();
    HedgeBackend backend = new HedgeBackend(time, seed, medians);
    double[] latencies = new double[calls];
    double[] slowdowns = new double[calls];
    List<List<Double>> byTool = new ArrayList<>();
    for (int t = 0; t < medians.length; t++) {
      byTool.add(new ArrayList<>());
    }
    long hedgesWon;
    try (ToolExecutor executor =
        options
            .apply(
                ToolExecutor.builder()
                    .timeSource(time)
                    .runner(backend)
                    .maxConcurrency(4 * CALLS_PER_TURN))
            .build()) {
      for (int first = 0; first < calls; first += CALLS_PER_TURN) {
        List<ToolCall<?, ?>> turn = new ArrayList<>(CALLS_PER_TURN);
        for (int i = first; i < Math.min(calls, first + CALLS_PER_TURN); i++) {
          turn.add(ToolCall.of("c" + i, backend.tool(i), new HedgeBackend.HedgeCall(i)));
        }
        ToolRun run = executor.start(ExecutionPlan.parallel(turn));
        time.runUntilIdle();
        if (!run.isDone()) {
          run.cancel();
          throw new IllegalStateException(
              "a hedging turn did not finish when virtual time ran out");
        }
        RunResult result = run.result().join();
        for (int k = 0; k < result.results().size(); k++) {
          CallResult<?> r = result.results().get(k);
          if (!r.isSuccess()) {
            throw new IllegalStateException("call " + r.callId() + " " + r.status());
          }
          int i = first + k;
          double ms = Durations.millis(Duration.between(r.startedAt(), r.finishedAt()));
          int t = backend.toolIndex(i);
          latencies[i] = ms;
          slowdowns[i] = ms / backend.medianMs(t);
          byTool.get(t).add(ms);
        }
      }
      hedgesWon = executor.hedgesWon();
    }
    double[] p99ByTool = new double[medians.length];
    for (int t = 0; t < medians.length; t++) {
      p99ByTool[t] =
          Stats.percentile(byTool.get(t).stream().mapToDouble(Double::doubleValue).toArray(), 99);
    }
    return new Outcome(
        Stats.percentile(latencies, 99),
        Stats.percentile(latencies, 95),
        Stats.percentile(latencies, 50),
        Stats.mean(latencies),
        (double) (backend.started() - calls) / calls,
        hedgesWon,
        Stats.percentile(slowdowns, 99),
        p99ByTool,
        Double.NaN,
        new double[medians.length]);
  }
}
