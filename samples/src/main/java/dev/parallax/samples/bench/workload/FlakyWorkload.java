package dev.parallax.samples.bench.workload;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.planner.fallback.ToolFallbacks;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.Stats;
import dev.parallax.samples.bench.model.WorkloadResult;
import dev.parallax.samples.bench.workload.FlakyBackend.FlakyCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * A tool that fails 30% of the time, with and without a fallback to a healthy alternative: agent
 * turns of parallel calls run through the real executor in virtual time.
 */
/*
 * Each call's fate is drawn once from the seed: the primary's duration (log-normal around 80 ms),
 * whether it fails (probability 0.3, after its duration), and the alternative's duration
 * (log-normal around 120 ms: slower but healthy). Both policies run the same turns. Per turn all
 * calls run at once, so a turn's lower bound is its longest chain: the primary's duration, plus the
 * alternative's where the policy swaps after a failure. Makespans and lower bounds are sums over the
 * turns; p95_ms is the 95th percentile of a call's latency; tool_executions counts the attempts the
 * runner started.
 */
final class FlakyWorkload implements BenchWorkload {

  static final double FAILURE_PROBABILITY = 0.3;

  @Override
  public String name() {
    return "flaky";
  }

  @Override
  public String description() {
    return "a tool failing 30% of the time, without and with a fallback";
  }

  /**
   * The fallback under test: the planner's {@link ToolFallbacks} with the alternative chained after
   * the primary, its circuit breakers on the workload's virtual clock.
   */
  static ToolFallbacks fallbackTo(FlakyBackend backend, VirtualTime time) {
    return ToolFallbacks.builder()
        .chain(backend.primary(), backend.alternative())
        .timeSource(time)
        .build();
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Sizes sizes = context.sizes();
    List<List<FlakyCall>> turns = turns(sizes, new Random(context.seedFor("flaky")));
    Map<String, BiFunction<FlakyBackend, VirtualTime, UnaryOperator<ToolExecutor.Builder>>>
        fallbacks = new LinkedHashMap<>();
    fallbacks.put("no_fallback", (backend, time) -> UnaryOperator.identity());
    fallbacks.put("fallback", (backend, time) -> fallbackTo(backend, time)::attachTo);

    context.progress().phase("turns x " + fallbacks.size() + " policies", 2L * turns.size());
    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    Map<String, Object> swaps = new LinkedHashMap<>();
    List<Chart.Bar> bars = new ArrayList<>();
    for (var e : fallbacks.entrySet()) {
      boolean swapping = !e.getKey().equals("no_fallback");
      VirtualTime time = new VirtualTime();
      FlakyBackend backend = new FlakyBackend(time);
      double makespan = 0;
      double lowerBound = 0;
      long calls = 0;
      long succeeded = 0;
      long cacheHits = 0;
      long swapped = 0;
      List<Double> latencies = new ArrayList<>();
      try (ToolExecutor executor =
          e.getValue()
              .apply(backend, time)
              .apply(
                  ToolExecutor.builder()
                      .timeSource(time)
                      .runner(backend)
                      .maxConcurrency(sizes.flakyCallsPerTurn()))
              .build()) {
        for (List<FlakyCall> turn : turns) {
          RunResult run = runTurn(executor, time, backend, turn);
          makespan += Durations.millis(run.report().elapsed());
          lowerBound += lowerBound(turn, swapping);
          for (CallResult<?> r : run.results()) {
            calls++;
            succeeded += r.isSuccess() ? 1 : 0;
            cacheHits += r.cacheHit() ? 1 : 0;
            swapped += r.fallbackFrom() != null ? 1 : 0;
            latencies.add(Durations.millis(Duration.between(r.queuedAt(), r.finishedAt())));
          }
          context.progress().step();
        }
      }
      double successRate = (double) succeeded / calls;
      policies.put(
          e.getKey(),
          PolicyFigures.builder()
              .makespanMs(makespan)
              .lowerBoundMs(lowerBound)
              .successRate(successRate)
              .p95Ms(Stats.percentile(latencies.stream().mapToDouble(d -> d).toArray(), 95))
              .toolExecutions(backend.started())
              .cacheHits(cacheHits)
              .throughputPerS(succeeded / (makespan / 1000))
              .build());
      swaps.put(e.getKey(), swapped);
      bars.add(new Chart.Bar(e.getKey(), 100 * successRate));
    }
    long failing = turns.stream().flatMap(List::stream).filter(FlakyCall::primaryFails).count();
    long total = turns.stream().mapToLong(List::size).sum();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("turns", turns.size());
    fields.put("calls_per_turn", sizes.flakyCallsPerTurn());
    fields.put("primary_failure_probability", FAILURE_PROBABILITY);
    fields.put("primary_failure_rate_drawn", (double) failing / total);
    fields.put("fallbacks", swaps);
    fields.put("alternatives", FlakyAlternatives.run(sizes, context.seedFor("flaky-alternatives")));
    return new WorkloadResult(
        name(), policies, fields, List.of(new Chart.Bars("flaky: success rate", "%", bars)));
  }

  private static RunResult runTurn(
      ToolExecutor executor, VirtualTime time, FlakyBackend backend, List<FlakyCall> turn) {
    List<ToolCall<?, ?>> calls = new ArrayList<>(turn.size());
    for (FlakyCall call : turn) {
      calls.add(ToolCall.of(call.id(), backend.primary(), call));
    }
    ToolRun run = executor.start(ExecutionPlan.parallel(calls));
    time.runUntilIdle();
    if (!run.isDone()) {
      run.cancel();
      throw new IllegalStateException("a flaky turn did not finish when virtual time ran out");
    }
    return run.result().join();
  }

  private static double lowerBound(List<FlakyCall> turn, boolean swapping) {
    double longest = 0;
    for (FlakyCall call : turn) {
      Duration chain =
          swapping && call.primaryFails()
              ? call.primary().plus(call.alternative())
              : call.primary();
      longest = Math.max(longest, Durations.millis(chain));
    }
    return longest;
  }

  private static List<List<FlakyCall>> turns(Sizes sizes, Random random) {
    List<List<FlakyCall>> turns = new ArrayList<>(sizes.flakyTurns());
    for (int t = 0; t < sizes.flakyTurns(); t++) {
      List<FlakyCall> turn = new ArrayList<>(sizes.flakyCallsPerTurn());
      for (int c = 0; c < sizes.flakyCallsPerTurn(); c++) {
        turn.add(
            new FlakyCall(
                "t" + t + "-c" + c,
                Records.seconds(0.080 * Math.exp(0.3 * random.nextGaussian())),
                random.nextDouble() < FAILURE_PROBABILITY,
                Records.seconds(0.120 * Math.exp(0.2 * random.nextGaussian()))));
      }
      turns.add(turn);
    }
    return turns;
  }
}
