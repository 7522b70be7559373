package dev.parallax.samples.bench.workload;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.Stats;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Hedged calls against a heavy-tailed backend: no hedging, the classic fixed-delay hedge at the
 * best delay of a sweep, and Parallax's hedge at the predicted upper latency.
 */
/*
 * Agent turns of CALLS_PER_TURN parallel calls of one idempotent tool run through the real executor
 * in virtual time, turn after turn (HedgeBackend: log-normal around 100 ms, 2% stragglers at 10x).
 * A call's latency is from its start to its result.
 *
 * - none: no hedging.
 * - fixed_delay: HedgePolicy.fixedDelay(d), the same 10% budget, for every d of DELAYS_MS; the d
 *   with the lowest p99 is reported (Resilience4j's hedge is a fixed delay; a budget keeps the
 *   comparison fair: without one a short delay "wins" by doubling the load).
 * - predicted: HedgePolicy.ofDefaults() (budget 10%) with a fresh AdaptivePredictor as the
 *   executor's predictor and record sink: it starts cold (its prior: 1 s, upper 10 s, so nothing is
 *   hedged until it has seen the tool) and learns from the workload's own records as they come,
 *   retraining synchronously (trainingExecutor(Runnable::run)) so that the run is deterministic.
 *   The delay of each call is the predictor's upper latency for it; the generator's parameters are
 *   never used. The predictor never sees a hedged call's cancelled loser (cancelled attempts carry
 *   no latency), so the tail it learns is censored by hedging itself; the budget bounds the effect.
 *
 * extra_calls_share = (attempts the backend started - calls) / calls.
 */
final class HedgingWorkload implements BenchWorkload {

  static final int CALLS_PER_TURN = 8;
  static final double BUDGET = 0.1;
  private static final long[] DELAYS_MS = {
    125, 150, 175, 200, 225, 250, 275, 300, 350, 400, 500, 600, 800, 1000
  };

  @Override
  public String name() {
    return "hedging";
  }

  @Override
  public String description() {
    return "a heavy-tailed tool: no hedge, best fixed-delay hedge, hedge at the predicted p90";
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
  static Outcome predicted(int calls, long seed, double alpha, Map<String, Long> sources) {
    try (AdaptivePredictor model =
        AdaptivePredictor.builder().baselineAlpha(alpha).trainingExecutor(Runnable::run).build()) {
      HedgePolicy policy = HedgePolicy.builder().budget(BUDGET).build();
      return measure(
          calls,
          seed,
          b ->
              b.hedging(policy)
                  .predictor(
                      call -> {
                        var p = model.predict(call);
                        sources.merge(p.source(), 1L, Long::sum);
                        return p;
                      })
                  .recordSink(model));
    }
  }

  /** Calls of the workload: five times the calls of {@code flaky}. */
  static int calls(Sizes sizes) {
    return 5 * sizes.flakyTurns() * sizes.flakyCallsPerTurn();
  }

  /** What one policy measured. */
  record Outcome(
      double p99Ms, double p95Ms, double p50Ms, double meanMs, double extraShare, long hedgesWon) {}

  @Override
  public WorkloadResult run(WorkloadContext context) {
    int calls = calls(context.sizes());
    long seed = context.seedFor("hedging");
    context
        .progress()
        .phase("hedging: " + (DELAYS_MS.length + 2) + " policies", DELAYS_MS.length + 2L);

    Outcome none = measure(calls, seed, UnaryOperator.identity());
    context.progress().step();

    Map<Long, Outcome> sweep = new TreeMap<>();
    long bestDelay = -1;
    for (long delay : DELAYS_MS) {
      HedgePolicy fixed =
          HedgePolicy.builder().budget(BUDGET).fixedDelay(Duration.ofMillis(delay)).build();
      Outcome o = measure(calls, seed, b -> b.hedging(fixed));
      sweep.put(delay, o);
      if (bestDelay < 0 || o.p99Ms() < sweep.get(bestDelay).p99Ms()) {
        bestDelay = delay;
      }
      context.progress().step();
    }
    Outcome fixed = sweep.get(bestDelay);

    Map<Double, Outcome> alphaSweep = new TreeMap<>();
    Map<Double, Map<String, Long>> sourcesByAlpha = new TreeMap<>();
    double bestAlpha = Double.NaN;
    for (double alpha : ALPHAS) {
      Map<String, Long> sources = new TreeMap<>();
      Outcome o = predicted(calls, seed, alpha, sources);
      alphaSweep.put(alpha, o);
      sourcesByAlpha.put(alpha, sources);
      if (Double.isNaN(bestAlpha) || o.p99Ms() < alphaSweep.get(bestAlpha).p99Ms()) {
        bestAlpha = alpha;
      }
      context.progress().step();
    }
    Outcome predicted = alphaSweep.get(bestAlpha);
    Outcome predictedDefault = alphaSweep.get(DEFAULT_ALPHA);

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
    fields.put("fixed_delay_best_ms", bestDelay);
    fields.put("fixed_delay_extra_calls_share", fixed.extraShare());
    Map<String, Object> sweepFields = new LinkedHashMap<>();
    sweep.forEach(
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
    fields.put("predicted_baseline_alpha", bestAlpha);
    fields.put("predicted_default_alpha_p99_ms", predictedDefault.p99Ms());
    fields.put("predicted_default_alpha_extra_calls_share", predictedDefault.extraShare());
    Map<String, Object> alphaFields = new LinkedHashMap<>();
    alphaSweep.forEach(
        (a, o) ->
            alphaFields.put(
                String.valueOf(a),
                Map.of(
                    "p99_ms",
                    o.p99Ms(),
                    "extra_calls_share",
                    o.extraShare(),
                    "prediction_sources",
                    sourcesByAlpha.get(a))));
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

    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    policies.put("none", figures(none, calls));
    policies.put("fixed_delay", figures(fixed, calls));
    policies.put("predicted", figures(predicted, calls));
    List<Chart.Bar> bars =
        List.of(
            new Chart.Bar("none", none.p99Ms()),
            new Chart.Bar("fixed_delay " + bestDelay + " ms", fixed.p99Ms()),
            new Chart.Bar("predicted", predicted.p99Ms()));
    return new WorkloadResult(
        name(), policies, fields, List.of(new Chart.Bars("hedging: p99 latency", "ms", bars)));
  }

  private static PolicyFigures figures(Outcome o, int calls) {
    return PolicyFigures.builder()
        .successRate(1.0)
        .p95Ms(o.p95Ms())
        .toolExecutions(Math.round(calls * (1 + o.extraShare())))
        .build();
  }

  /** Runs every turn under one policy, on a fresh clock, backend and executor. */
  static Outcome measure(int calls, long seed, UnaryOperator<ToolExecutor.Builder> options) {
    VirtualTime time = new VirtualTime();
    HedgeBackend backend = new HedgeBackend(time, seed);
    double[] latencies = new double[calls];
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
          turn.add(ToolCall.of("c" + i, backend.tool(), new HedgeBackend.HedgeCall(i)));
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
          latencies[first + k] = Durations.millis(Duration.between(r.startedAt(), r.finishedAt()));
        }
      }
      hedgesWon = executor.hedgesWon();
    }
    return new Outcome(
        Stats.percentile(latencies, 99),
        Stats.percentile(latencies, 95),
        Stats.percentile(latencies, 50),
        Stats.mean(latencies),
        (double) (backend.started() - calls) / calls,
        hedgesWon);
  }
}
