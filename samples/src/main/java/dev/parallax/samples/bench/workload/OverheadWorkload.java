package dev.parallax.samples.bench.workload;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.Spread;
import dev.parallax.samples.bench.model.Stats;
import dev.parallax.samples.bench.model.WorkloadResult;
import dev.parallax.telemetry.ParallaxTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * What Parallax costs on top of plain virtual threads: fan-outs and fan-ins of N no-op calls
 * through {@link ToolExecutor#executeParallel} (without and with the telemetry SDK), against the
 * same N no-op tasks handed to a virtual-thread-per-task executor with {@code invokeAll}, for each
 * N of {@link Sizes.Overhead#callCounts()}. Each ratio is the median of interleaved repeats with
 * its min and max ({@link InterleavedRepeats}).
 */
/*
 * With no work in the calls the whole time is scheduling overhead. For each N the three variants
 * are set up once (executor with limit N so it never binds, calls, tasks) and measured by
 * InterleavedRepeats: samples of many fan-outs back to back, variants alternated sample by sample,
 * warm-up repeats discarded, garbage collected between repeats, one ratio per repeat. Both sides do
 * the same work around the calls: wait for all N, then read every value and count the successes.
 *
 * The telemetry variant runs what production runs: the ParallaxTelemetry SDK (its record processor
 * turns every span into an execution record for one subscriber, and records the tool metrics) plus
 * a BatchSpanProcessor (queue of SPAN_QUEUE spans) whose exporter drops the batches: the span queue
 * and the export thread are paid for, the network is not. At the end of each of its samples the
 * variant flushes the SDK inside its time, so the export and record threads' work is charged to it
 * rather than to the variant that runs next.
 *
 * JSON: ratio_vs_virtual_threads.{parallax,parallax_telemetry} are the medians at the headline N,
 * ..._min and ..._max their spread; by_calls.<N> holds every N's ratios as {median, min, max,
 * repeats} and the time per call of each variant.
 */
final class OverheadWorkload implements BenchWorkload {

  static final String VIRTUAL_THREADS = "virtual_threads";
  static final String PARALLAX = "parallax";
  static final String PARALLAX_TELEMETRY = "parallax_telemetry";
  private static final long FLUSH_TIMEOUT_S = 30;

  /**
   * The span queue of the batch processor: a whole sample's spans (a 10,000-call fan-out) fit, so
   * no span is dropped between two flushes.
   */
  private static final int SPAN_QUEUE = 32_768;

  private static final List<String> VARIANTS =
      List.of(VIRTUAL_THREADS, PARALLAX, PARALLAX_TELEMETRY);

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
    Sizes.Overhead sizes = context.sizes().overhead();
    CountingTool bare = new CountingTool("no-op-bare", Duration.ZERO);
    CountingTool plain = new CountingTool("no-op", Duration.ZERO);
    CountingTool traced = new CountingTool("no-op-traced", Duration.ZERO);
    AtomicLong records = new AtomicLong();
    DroppingExporter exporter = new DroppingExporter();
    Map<Integer, InterleavedRepeats.Result> results = new LinkedHashMap<>();
    try (ParallaxTelemetry telemetry =
        ParallaxTelemetry.builder()
            .spanProcessor(BatchSpanProcessor.builder(exporter).setMaxQueueSize(SPAN_QUEUE).build())
            .build()) {
      telemetry.subscribe(record -> records.incrementAndGet());
      for (int n : sizes.callCounts()) {
        results.put(n, measure(n, sizes, telemetry, bare, plain, traced, context.progress()));
      }
    }
    return report(sizes, results, bare, plain, traced, records.get(), exporter.spans());
  }

  private static InterleavedRepeats.Result measure(
      int n,
      Sizes.Overhead sizes,
      ParallaxTelemetry telemetry,
      CountingTool bare,
      CountingTool plain,
      CountingTool traced,
      ProgressListener progress) {
    try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        ToolExecutor executor = ToolExecutor.builder().maxConcurrency(n).build();
        ToolExecutor tracedExecutor =
            telemetry.instrument(ToolExecutor.builder().maxConcurrency(n)).build()) {
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
      Sink sink = new Sink();
      int fanOuts = sizes.fanOutsPerSample(n);
      return InterleavedRepeats.measure(
          new InterleavedRepeats.Settings(
              sizes.warmupRepeats(), sizes.repeats(), sizes.samplesPerRepeat(), fanOuts),
          List.of(
              () -> sink.invokeAll(virtualThreads, tasks),
              () -> sink.collect(executor.executeParallel(plainCalls)),
              new InterleavedRepeats.Variant() {
                @Override
                public int runOnce() {
                  return sink.collect(tracedExecutor.executeParallel(tracedCalls));
                }

                @Override
                public void settle() {
                  flush(telemetry);
                }
              }),
          System::nanoTime,
          System::gc,
          progress,
          n + " no-op calls per fan-out, " + fanOuts + " fan-outs per sample");
    }
  }

  /** Waits until the spans and records of the calls made so far were exported and delivered. */
  private static void flush(ParallaxTelemetry telemetry) {
    CompletableResultCode flushed =
        telemetry.sdk().getSdkTracerProvider().forceFlush().join(FLUSH_TIMEOUT_S, TimeUnit.SECONDS);
    if (!flushed.isSuccess()) {
      throw new IllegalStateException(
          "the telemetry SDK did not flush within " + FLUSH_TIMEOUT_S + " s");
    }
  }

  private WorkloadResult report(
      Sizes.Overhead sizes,
      Map<Integer, InterleavedRepeats.Result> results,
      CountingTool bare,
      CountingTool plain,
      CountingTool traced,
      long records,
      long spansExported) {
    Map<String, Object> byCalls = new LinkedHashMap<>();
    results.forEach((n, result) -> byCalls.put(Integer.toString(n), perCalls(sizes, n, result)));

    int headline = sizes.headlineCalls();
    InterleavedRepeats.Result main = results.get(headline);
    long[] executions = {bare.executions(), plain.executions(), traced.executions()};
    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    for (int v = 0; v < VARIANTS.size(); v++) {
      double[] fanOutMs = scale(main.samples(v), 1e-6);
      double medianMs = main.medianNanos(v) / 1e6;
      policies.put(
          VARIANTS.get(v),
          PolicyFigures.builder()
              .makespanMs(medianMs)
              .successRate((double) main.succeeded()[v] / (main.runs()[v] * (long) headline))
              .p95Ms(Stats.percentile(fanOutMs, 95))
              .toolExecutions(executions[v])
              .cacheHits(0)
              .throughputPerS(headline / (medianMs / 1000))
              .build());
    }
    Map<String, Object> ratio = new LinkedHashMap<>();
    Map<String, Object> ratioMin = new LinkedHashMap<>();
    Map<String, Object> ratioMax = new LinkedHashMap<>();
    Map<String, Object> perCallMicros = new LinkedHashMap<>();
    for (int v = 1; v < VARIANTS.size(); v++) {
      Spread spread = main.ratio(v, 0);
      ratio.put(VARIANTS.get(v), spread.median());
      ratioMin.put(VARIANTS.get(v), spread.min());
      ratioMax.put(VARIANTS.get(v), spread.max());
      perCallMicros.put(
          VARIANTS.get(v), (main.medianNanos(v) - main.medianNanos(0)) / 1000 / headline);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("ratio_vs_virtual_threads", ratio);
    fields.put("ratio_vs_virtual_threads_min", ratioMin);
    fields.put("ratio_vs_virtual_threads_max", ratioMax);
    fields.put("extra_us_per_call", perCallMicros);
    fields.put("by_calls", byCalls);
    fields.put("calls_per_fan_out", headline);
    fields.put("call_counts", sizes.callCounts());
    fields.put("warmup_repeats", sizes.warmupRepeats());
    fields.put("repeats", sizes.repeats());
    fields.put("samples_per_repeat", sizes.samplesPerRepeat());
    fields.put("calls_per_sample", sizes.callsPerSample());
    fields.put("telemetry_records_received", records);
    fields.put("telemetry_calls_made", traced.executions());
    fields.put("telemetry_spans_exported", spansExported);
    return new WorkloadResult(name(), policies, fields, List.of());
  }

  /** One N's figures: each variant's ratio spread and every variant's median time per call. */
  private static Map<String, Object> perCalls(
      Sizes.Overhead sizes, int n, InterleavedRepeats.Result result) {
    Map<String, Object> figures = new LinkedHashMap<>();
    for (int v = 1; v < VARIANTS.size(); v++) {
      figures.put(VARIANTS.get(v), result.ratio(v, 0));
    }
    for (int v = 0; v < VARIANTS.size(); v++) {
      figures.put(VARIANTS.get(v) + "_us_per_call", result.medianNanos(v) / 1000 / n);
    }
    figures.put("fan_outs_per_sample", sizes.fanOutsPerSample(n));
    return figures;
  }

  private static double[] scale(double[] values, double factor) {
    double[] scaled = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      scaled[i] = values[i] * factor;
    }
    return scaled;
  }

  /**
   * The same result handling on both sides: every value is read and added up, every success
   * counted. The sum is kept so the reads cannot be optimised away.
   */
  private static final class Sink {
    private long sum;

    int invokeAll(ExecutorService virtualThreads, List<Callable<Integer>> tasks) {
      int succeeded = 0;
      try {
        for (Future<Integer> future : virtualThreads.invokeAll(tasks)) {
          try {
            sum += future.get();
            succeeded++;
          } catch (ExecutionException e) {
            // a failed task counts as not succeeded
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring the bare fan-out", e);
      }
      return succeeded;
    }

    int collect(RunResult run) {
      int succeeded = 0;
      for (CallResult<?> result : run.results()) {
        if (result.isSuccess() && result.value() instanceof Integer value) {
          sum += value;
          succeeded++;
        }
      }
      return succeeded;
    }
  }

  /** A span exporter that drops every batch: the batch processor runs, nothing is sent. */
  private static final class DroppingExporter implements SpanExporter {
    private final AtomicLong spans = new AtomicLong();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAndGet(batch.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    long spans() {
      return spans.get();
    }
  }
}
