package dev.parallax.benchmarks;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.telemetry.ParallaxTelemetry;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What Parallax costs on top of plain virtual threads: N no-op calls through {@link
 * ToolExecutor#executeParallel} (without and with the telemetry SDK and its record processor)
 * against the same N no-op tasks handed to a virtual-thread-per-task {@link ExecutorService} with
 * {@code invokeAll}.
 */
/*
 * What is measured: the wall time (average, microseconds per operation) of one complete fan-out
 * and fan-in of N calls whose body does nothing but return its input. With no work in the calls,
 * the whole time is scheduling overhead: creating the per-call bookkeeping, starting one virtual
 * thread per call, collecting the results and waking the waiting caller.
 *
 * Why the baseline is fair: it is the cheapest correct way to do the same job with the JDK alone,
 * and it does the same work as Parallax's default runner - one new virtual thread per call, all
 * started at once, the caller blocked until every call has finished, results collected in call
 * order. Both sides are set up once per trial (the ToolExecutor and the ExecutorService, and the
 * list of calls or tasks), so neither pays construction costs in the measured loop; the executor's
 * maxConcurrency is N so its limit never binds, and no OpenTelemetry, listeners, retries or
 * timeouts are configured. The telemetry variant is the same executor traced by a
 * ParallaxTelemetry SDK set up as in production: every call becomes a span, the record processor
 * turns each into an execution record for one (no-op) subscriber and records the tool metrics, and
 * a BatchSpanProcessor hands the spans to an exporter that drops them. A batch processor rather
 * than the in-memory exporter cleared per iteration, because that is what production runs (the
 * in-memory exporter is a SimpleSpanProcessor: it exports on the ending thread, and holds every span
 * of an iteration, millions at N = 10,000, which would measure the heap rather than the SDK); a
 * dropping exporter (SpanExporter.composite() of none: the SDK's no-op exporter) so that the queue
 * and its export thread are paid for and the network is not.
 * Its queue holds SPAN_QUEUE spans (the default 2,048 would drop most spans of one 10,000-call
 * fan-out, which would make the telemetry look cheaper than it is); the background threads compete
 * for the same cores within each iteration, so their cost shows in the score.
 * All variants hand one value per call to the Blackhole, and all run in forked JVMs with the same
 * fixed heap. What remains as the difference is the price of Parallax's engine: plan validation, the
 * run's state machine (every call's start and end is an event handed to the run's serial inbox),
 * and its per-call results and report. OverheadReport divides each score by invokeAll's at the same
 * N, measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class OverheadBenchmark {

  /** Number of calls per run. */
  @Param({"10", "100", "1000", "10000"})
  public int n;

  /** The batch span processor's queue: one 10,000-call fan-out's spans fit. */
  static final int SPAN_QUEUE = 32_768;

  private ToolExecutor executor;
  private ParallaxTelemetry telemetry;
  private ToolExecutor tracedExecutor;
  private List<ToolCall<Integer, Integer>> calls;
  private ExecutorService virtualThreads;
  private List<Callable<Integer>> tasks;

  /** Builds both sides once per trial and checks that each completes all N calls. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    executor = ToolExecutor.builder().maxConcurrency(n).build();
    telemetry =
        ParallaxTelemetry.builder()
            .spanProcessor(
                BatchSpanProcessor.builder(SpanExporter.composite())
                    .setMaxQueueSize(SPAN_QUEUE)
                    .build())
            .build();
    telemetry.subscribe(record -> {});
    tracedExecutor = telemetry.instrument(ToolExecutor.builder().maxConcurrency(n)).build();
    Tool<Integer, Integer> noOp = Tools.named("no-op").input(Integer.class).function((i, ctx) -> i);
    calls = IntStream.range(0, n).mapToObj(i -> ToolCall.of("call-" + i, noOp, i)).toList();

    virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    tasks = IntStream.range(0, n).<Callable<Integer>>mapToObj(i -> () -> i).toList();

    RunResult run = executor.executeParallel(calls);
    if (!run.allSucceeded() || run.results().size() != n) {
      throw new IllegalStateException("executeParallel did not complete " + n + " calls: " + run);
    }
    if (!tracedExecutor.executeParallel(calls).allSucceeded()) {
      throw new IllegalStateException("executeParallel with telemetry did not complete " + n);
    }
    if (virtualThreads.invokeAll(tasks).stream().filter(Future::isDone).count() != n) {
      throw new IllegalStateException("invokeAll did not complete " + n + " tasks");
    }
  }

  /** Closes both sides. */
  @TearDown(Level.Trial)
  public void tearDown() {
    executor.close();
    tracedExecutor.close();
    telemetry.close();
    virtualThreads.close();
  }

  /** N no-op calls through Parallax. */
  @Benchmark
  public void executeParallel(Blackhole blackhole) {
    RunResult run = executor.executeParallel(calls);
    for (CallResult<?> result : run.results()) {
      blackhole.consume(result.value());
    }
  }

  /** N no-op calls through Parallax, traced, each becoming a span (exported) and a record. */
  @Benchmark
  public void executeParallelWithTelemetry(Blackhole blackhole) {
    RunResult run = tracedExecutor.executeParallel(calls);
    for (CallResult<?> result : run.results()) {
      blackhole.consume(result.value());
    }
  }

  /** The baseline: N no-op tasks on fresh virtual threads with {@code invokeAll}. */
  @Benchmark
  public void invokeAll(Blackhole blackhole) throws InterruptedException {
    for (Future<Integer> future : virtualThreads.invokeAll(tasks)) {
      blackhole.consume(future.resultNow());
    }
  }
}
