package dev.parallax.samples.bench.workload;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed scenarios with tools that really sleep: four 100 ms tools sequential vs parallel; ten
 * 100 ms tools at concurrency limits 2, 5 and 10; five 0.1 ms tools parallel vs sequential.
 */
/*
 * Wall time around one blocking run, variants interleaved round by round after a warm-up (see
 * Interleaved), medians reported. Every ratio compares variants measured in the same loop with the
 * same executor. The limit durations are divided by the nominal 100 ms, as the contract says; the
 * time of one 100 ms tool run alone, measured in the same loop, is reported next to them so the
 * overhead of a single run can be told apart. Each tool records the most bodies running at once,
 * which must equal the limit.
 */
final class SeedWorkload implements BenchWorkload {

  private static final Duration SLOW = Duration.ofMillis(100);
  private static final Duration FAST = Duration.ofNanos(100_000);
  private static final int[] LIMITS = {2, 5, 10};

  @Override
  public String name() {
    return "seed";
  }

  @Override
  public String description() {
    return "the seed scenarios with sleeping tools: speedup, limits, batches";
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Sizes sizes = context.sizes();
    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    Map<String, Object> fields = new LinkedHashMap<>();
    Map<String, Object> peaks = new LinkedHashMap<>();
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      speedup(executor, sizes, context.progress(), policies, fields, peaks);
      limits(executor, sizes, context.progress(), policies, fields, peaks);
      fastBatch(executor, sizes, context.progress(), policies, fields);
    }
    fields.put("peak_running", peaks);
    fields.put("warmup_rounds", sizes.seedWarmups());
    fields.put("measured_rounds", sizes.seedRounds());
    fields.put("fast_warmup_rounds", sizes.fastWarmups());
    fields.put("fast_measured_rounds", sizes.fastRounds());
    return new WorkloadResult(name(), policies, fields, List.of());
  }

  private static void speedup(
      ToolExecutor executor,
      Sizes sizes,
      ProgressListener progress,
      Map<String, PolicyFigures> policies,
      Map<String, Object> fields,
      Map<String, Object> peaks) {
    SequentialVsParallel r =
        sequentialVsParallel(
            executor,
            "",
            SLOW,
            4,
            sizes.seedWarmups(),
            sizes.seedRounds(),
            progress,
            "4 tools of 100 ms");
    policies.put("sequential", r.sequential());
    policies.put("parallel", r.parallel());
    fields.put("speedup_4x100ms", r.sequentialMs() / r.parallelMs());
    peaks.put("sequential", r.sequentialPeak());
    peaks.put("parallel", r.parallelPeak());
  }

  private static void limits(
      ToolExecutor executor,
      Sizes sizes,
      ProgressListener progress,
      Map<String, PolicyFigures> policies,
      Map<String, Object> fields,
      Map<String, Object> peaks) {
    List<Interleaved.Variant> variants = new ArrayList<>();
    CountingTool alone = new CountingTool("alone", SLOW);
    List<ToolCall<Integer, Integer>> aloneCalls = alone.calls(1);
    variants.add(() -> Interleaved.Outcome.of(executor.executeParallel(aloneCalls)));
    List<CountingTool> tools = new ArrayList<>();
    for (int limit : LIMITS) {
      CountingTool tool = new CountingTool("limit-" + limit, SLOW);
      tools.add(tool);
      ExecutionPlan plan = ExecutionPlan.parallel(tool.calls(10)).withMaxConcurrency(limit);
      variants.add(() -> Interleaved.Outcome.of(executor.execute(plan)));
    }
    long[] before = new long[LIMITS.length];
    List<Interleaved.Timing> t =
        Interleaved.time(
            sizes.seedWarmups(),
            sizes.seedRounds(),
            variants,
            progress,
            "10 tools of 100 ms at limits 2, 5, 10",
            () -> {
              for (int i = 0; i < LIMITS.length; i++) {
                before[i] = tools.get(i).executions();
                tools.get(i).resetPeak();
              }
            });
    double aloneMs = t.get(0).medianMs();
    Map<String, Object> durations = new LinkedHashMap<>();
    Map<String, Object> durationsVsAlone = new LinkedHashMap<>();
    for (int i = 0; i < LIMITS.length; i++) {
      int limit = LIMITS[i];
      Interleaved.Timing timing = t.get(i + 1);
      double waves = Math.ceil(10.0 / limit);
      policies.put(
          "limit_" + limit, figures(timing, waves * 100, tools.get(i).executions() - before[i]));
      durations.put(Integer.toString(limit), timing.medianMs() / 100.0);
      durationsVsAlone.put(Integer.toString(limit), timing.medianMs() / aloneMs);
      peaks.put("limit_" + limit, tools.get(i).peak());
    }
    fields.put("limit_durations", durations);
    fields.put("one_tool_alone_ms", aloneMs);
    fields.put("limit_durations_vs_one_tool_alone", durationsVsAlone);
  }

  private static void fastBatch(
      ToolExecutor executor,
      Sizes sizes,
      ProgressListener progress,
      Map<String, PolicyFigures> policies,
      Map<String, Object> fields) {
    SequentialVsParallel r =
        sequentialVsParallel(
            executor,
            "fast-",
            FAST,
            5,
            sizes.fastWarmups(),
            sizes.fastRounds(),
            progress,
            "5 tools of 0.1 ms");
    policies.put("fast_sequential", r.sequential());
    policies.put("fast_parallel", r.parallel());
    fields.put("fast_batch_parallel_over_sequential", r.parallelMs() / r.sequentialMs());
  }

  /** The figures of {@code n} calls run one after another and all at once. */
  private record SequentialVsParallel(
      PolicyFigures sequential,
      PolicyFigures parallel,
      double sequentialMs,
      double parallelMs,
      int sequentialPeak,
      int parallelPeak) {}

  /** Times {@code n} calls of {@code latency} run sequentially and in parallel, interleaved. */
  private static SequentialVsParallel sequentialVsParallel(
      ToolExecutor executor,
      String prefix,
      Duration latency,
      int n,
      int warmups,
      int rounds,
      ProgressListener progress,
      String label) {
    CountingTool seq = new CountingTool(prefix + "seq", latency);
    CountingTool par = new CountingTool(prefix + "par", latency);
    List<ToolCall<Integer, Integer>> seqCalls = seq.calls(n);
    List<ToolCall<Integer, Integer>> parCalls = par.calls(n);
    long[] before = new long[2];
    List<Interleaved.Timing> t =
        Interleaved.time(
            warmups,
            rounds,
            List.of(
                () -> Interleaved.Outcome.of(executor.executeSequential(seqCalls)),
                () -> Interleaved.Outcome.of(executor.executeParallel(parCalls))),
            progress,
            label,
            () -> {
              before[0] = seq.executions();
              before[1] = par.executions();
            });
    double latencyMs = latency.toNanos() / 1e6;
    return new SequentialVsParallel(
        figures(t.get(0), n * latencyMs, seq.executions() - before[0]),
        figures(t.get(1), latencyMs, par.executions() - before[1]),
        t.get(0).medianMs(),
        t.get(1).medianMs(),
        seq.peak(),
        par.peak());
  }

  /** Median run time as the makespan; the lower bound is what the sleeps alone take. */
  private static PolicyFigures figures(
      Interleaved.Timing timing, double lowerBoundMs, long executions) {
    return PolicyFigures.builder()
        .makespanMs(timing.medianMs())
        .lowerBoundMs(lowerBoundMs)
        .successRate(timing.successRate())
        .p95Ms(timing.p95Ms())
        .toolExecutions(executions)
        .cacheHits(timing.cacheHits())
        .throughputPerS(timing.throughputPerS())
        .build();
  }
}
