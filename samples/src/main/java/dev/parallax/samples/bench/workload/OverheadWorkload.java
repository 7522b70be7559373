package dev.parallax.samples.bench.workload;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import dev.parallax.telemetry.ParallaxTelemetry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * What Parallax costs on top of plain virtual threads: one fan-out and fan-in of N no-op calls
 * through {@link ToolExecutor#executeParallel} (without and with the telemetry SDK), against the
 * same N no-op tasks handed to a virtual-thread-per-task executor with {@code invokeAll}.
 */
/*
 * With no work in the calls the whole time is scheduling overhead. The three variants run in the
 * same loop, interleaved and rotated round by round after a warm-up, each set up once (executor,
 * calls, tasks) so no variant pays construction costs in the measured loop; Parallax's limit is N
 * so it never binds. The telemetry variant's SDK turns every span into an execution record for one
 * subscriber and exports nothing. A round's time is read with System.nanoTime around one blocking
 * fan-out; medians of thousands of rounds are reported, and the ratios are of medians measured in
 * this run. This is the JMH OverheadBenchmark's comparison without JMH: less precise, same shape.
 */
final class OverheadWorkload implements BenchWorkload {

  static final String VIRTUAL_THREADS = "virtual_threads";
  static final String PARALLAX = "parallax";
  static final String PARALLAX_TELEMETRY = "parallax_telemetry";

  @Override
  public String name() {
    return "overhead";
  }

  @Override
  public String description() {
    return "no-op calls via the executor (w/ and w/o telemetry) vs invokeAll";
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Sizes sizes = context.sizes();
    int n = sizes.overheadCalls();
    CountingTool bare = new CountingTool("no-op-bare", Duration.ZERO);
    CountingTool plain = new CountingTool("no-op", Duration.ZERO);
    CountingTool traced = new CountingTool("no-op-traced", Duration.ZERO);
    AtomicLong records = new AtomicLong();
    List<Interleaved.Timing> timings;
    long[] executionsBefore = new long[3];
    try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        ToolExecutor executor = ToolExecutor.builder().maxConcurrency(n).build();
        ParallaxTelemetry telemetry = ParallaxTelemetry.builder().build();
        ToolExecutor tracedExecutor =
            telemetry.instrument(ToolExecutor.builder().maxConcurrency(n)).build()) {
      telemetry.subscribe(record -> records.incrementAndGet());
      List<ToolCall<Integer, Integer>> plainCalls = plain.calls(n);
      List<ToolCall<Integer, Integer>> tracedCalls = traced.calls(n);
      List<Callable<Integer>> tasks =
          IntStream.range(0, n)
              .<Callable<Integer>>mapToObj(
                  i ->
                      () -> {
                        bare.countExecution();
                        return i;
                      })
              .toList();
      timings =
          Interleaved.time(
              sizes.overheadWarmups(),
              sizes.overheadRounds(),
              List.of(
                  () -> invokeAll(virtualThreads, tasks),
                  () -> Interleaved.Outcome.of(executor.executeParallel(plainCalls)),
                  () -> Interleaved.Outcome.of(tracedExecutor.executeParallel(tracedCalls))),
              context.progress(),
              n + " no-op calls per fan-out",
              () -> {
                executionsBefore[0] = bare.executions();
                executionsBefore[1] = plain.executions();
                executionsBefore[2] = traced.executions();
              });
    }
    long[] executions = {
      bare.executions() - executionsBefore[0],
      plain.executions() - executionsBefore[1],
      traced.executions() - executionsBefore[2]
    };
    String[] names = {VIRTUAL_THREADS, PARALLAX, PARALLAX_TELEMETRY};
    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    for (int v = 0; v < names.length; v++) {
      Interleaved.Timing t = timings.get(v);
      policies.put(
          names[v],
          PolicyFigures.builder()
              .makespanMs(t.medianMs())
              .successRate(t.successRate())
              .p95Ms(t.p95Ms())
              .toolExecutions(executions[v])
              .cacheHits(t.cacheHits())
              .throughputPerS(t.throughputPerS())
              .build());
    }
    double base = timings.get(0).medianMs();
    Map<String, Object> ratio = new LinkedHashMap<>();
    Map<String, Object> perCallMicros = new LinkedHashMap<>();
    for (int v = 1; v < names.length; v++) {
      ratio.put(names[v], timings.get(v).medianMs() / base);
      perCallMicros.put(names[v], (timings.get(v).medianMs() - base) * 1000 / n);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("ratio_vs_virtual_threads", ratio);
    fields.put("extra_us_per_call", perCallMicros);
    fields.put("calls_per_fan_out", n);
    fields.put("warmup_rounds", sizes.overheadWarmups());
    fields.put("measured_rounds", sizes.overheadRounds());
    fields.put("telemetry_records_received", records.get());
    fields.put("telemetry_calls_made", traced.executions());
    return new WorkloadResult(name(), policies, fields, List.of());
  }

  private static Interleaved.Outcome invokeAll(
      ExecutorService virtualThreads, List<Callable<Integer>> tasks) {
    int succeeded = 0;
    try {
      for (Future<Integer> future : virtualThreads.invokeAll(tasks)) {
        try {
          future.get();
          succeeded++;
        } catch (ExecutionException e) {
          // a failed task counts as not succeeded
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring the bare fan-out", e);
    }
    return new Interleaved.Outcome(tasks.size(), succeeded, 0);
  }
}
