package dev.parallax.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * One executor under test, the {@link EventLog} it reports to, the {@link Probe}s it runs, and the
 * plumbing that runs a scenario in any {@link Mode}. The conformance counterpart of Failsafe's
 * {@code testing/Testing.java} (failsafe-lib/failsafe, core/src/test/java/dev/failsafe/testing).
 *
 * <p>Shared with the planner's conformance tests through core's test-jar.
 *
 * <p>Every wait is bounded by {@link #WAIT}: a run that never finishes, a {@code cancel()} or a
 * {@code close()} that never returns fails the test with a message instead of hanging the build.
 * {@link #close()} checks the end-of-test guarantees: {@code close()} returns, no run is left
 * active, and no tool thread is left behind.
 */
public final class Harness implements AutoCloseable {

  /**
   * Bound of every wait. A healthy scenario here ends within milliseconds; the bound only decides
   * how long a hang takes to be reported. Override with {@code -Dparallax.conformance.waitSeconds}.
   */
  public static final Duration WAIT =
      Duration.ofSeconds(Long.getLong("parallax.conformance.waitSeconds", 5));

  /** Bound of {@code close()} once a run of this harness was already seen hanging. */
  private static final Duration WAIT_AFTER_HANG = Duration.ofSeconds(1);

  public final @Nullable VirtualTime time;
  public final EventLog events = new EventLog();
  public final ToolExecutor executor;
  private final List<Probe> probes = new ArrayList<>();
  private final EngineLog engineLog = new EngineLog();
  private volatile boolean hung;

  private Harness(@Nullable VirtualTime time, UnaryOperator<ToolExecutor.Builder> options) {
    this.time = time;
    engineLog.attach();
    ToolExecutor.Builder builder = options.apply(ToolExecutor.builder());
    if (time != null) {
      builder.timeSource(time);
    }
    this.executor = builder.listener(events).build();
  }

  /**
   * An executor in {@link VirtualTime}: timeouts, deadlines and retry delays fire only when the
   * test advances the clock; tools still run on real virtual threads. Listeners given in {@code
   * options} come before the harness's own {@link EventLog}.
   */
  public static Harness virtualTime(UnaryOperator<ToolExecutor.Builder> options) {
    return new Harness(new VirtualTime(), options);
  }

  /**
   * An executor on a given virtual clock, for plug-ins that must share it (the fallbacks' circuit
   * breakers read the executor's time).
   */
  public static Harness virtualTime(VirtualTime time, UnaryOperator<ToolExecutor.Builder> options) {
    return new Harness(time, options);
  }

  /** An executor in real time (its own timer thread), for scenarios with zero delays only. */
  public static Harness realTime(UnaryOperator<ToolExecutor.Builder> options) {
    return new Harness(null, options);
  }

  /** The virtual clock; fails if this harness runs in real time. */
  public VirtualTime clock() {
    assertThat(time).as("this harness runs in virtual time").isNotNull();
    return time;
  }

  /** A probe whose threads {@link #close()} checks; see {@link Probe}. */
  public Probe probe(
      String name,
      boolean idempotent,
      boolean cacheable,
      boolean concurrencySafe,
      BiFunction<Object, Integer, Probe.Step> script) {
    Probe probe = new Probe(name, idempotent, cacheable, concurrencySafe, script);
    synchronized (probes) {
      probes.add(probe);
    }
    return probe;
  }

  /** Registers a probe made before the harness, so that {@link #close()} checks its threads. */
  public Probe register(Probe probe) {
    synchronized (probes) {
      probes.add(probe);
    }
    return probe;
  }

  /** An idempotent, concurrency-safe probe. */
  public Probe probe(
      String name,
      boolean idempotent,
      boolean concurrencySafe,
      BiFunction<Object, Integer, Probe.Step> script) {
    return probe(name, idempotent, false, concurrencySafe, script);
  }

  public Probe probe(String name, BiFunction<Object, Integer, Probe.Step> script) {
    return probe(name, true, false, true, script);
  }

  /** An idempotent, cacheable, concurrency-safe probe, for the result cache. */
  public Probe cacheableProbe(String name, BiFunction<Object, Integer, Probe.Step> script) {
    return probe(name, true, true, true, script);
  }

  /**
   * Calls of one tool over inputs, with the ids a batch gives them ({@code NAME-0}, {@code NAME-1},
   * ...), so that the same scenario runs in every {@link Mode}.
   */
  public static List<ToolCall<?, ?>> calls(Tool<Object, ?> tool, Object... inputs) {
    return IntStream.range(0, inputs.length)
        .<ToolCall<?, ?>>mapToObj(i -> ToolCall.of(tool.name() + "-" + i, tool, inputs[i]))
        .toList();
  }

  /** Starts the calls in the given mode with the plan's defaults. */
  public Started start(Mode mode, List<? extends ToolCall<?, ?>> calls) {
    return start(mode, calls, null);
  }

  /**
   * Starts the calls in the given mode. Without {@code tweak} the mode's own entry point is used
   * ({@code executeParallel}, {@code executeBatchAsync}, ...); with one, the plan is built, changed
   * by {@code tweak}, and handed to {@code execute}, {@code executeAsync} or {@code start}.
   */
  public Started start(
      Mode mode,
      List<? extends ToolCall<?, ?>> calls,
      @Nullable UnaryOperator<ExecutionPlan> tweak) {
    ExecutionPlan plan = plan(mode.shape, calls);
    if (tweak != null) {
      plan = tweak.apply(plan);
    }
    ExecutionPlan finalPlan = plan;
    return switch (mode.invocation) {
      case RUN -> Started.run(this, executor.start(finalPlan));
      case SYNC ->
          Started.sync(
              this, tweak != null ? () -> executor.execute(finalPlan) : syncCall(mode, calls));
      case ASYNC ->
          Started.async(
              this, tweak != null ? executor.executeAsync(finalPlan) : asyncEntry(mode, calls));
    };
  }

  /** Runs the calls in the given mode and waits for the result. */
  public RunResult run(Mode mode, List<? extends ToolCall<?, ?>> calls)
      throws InterruptedException {
    return start(mode, calls).result();
  }

  /** Runs the calls in the given mode, the plan changed by {@code tweak}, and waits. */
  RunResult run(Mode mode, List<? extends ToolCall<?, ?>> calls, UnaryOperator<ExecutionPlan> tweak)
      throws InterruptedException {
    return start(mode, calls, tweak).result();
  }

  /** Starts a graph with real edges, through {@code executeGraph}, its async form, or a run. */
  public Started startGraph(Mode.Invocation invocation, CallGraph graph) {
    return switch (invocation) {
      case RUN -> Started.run(this, executor.start(ExecutionPlan.graph(graph)));
      case SYNC -> Started.sync(this, () -> executor.executeGraph(graph));
      case ASYNC -> Started.async(this, executor.executeGraphAsync(graph));
    };
  }

  /** The blocking entry point of a mode, to be called on a thread of the test's choosing. */
  public Supplier<RunResult> syncCall(Mode mode, List<? extends ToolCall<?, ?>> calls) {
    return switch (mode.shape) {
      case PARALLEL -> () -> executor.executeParallel(calls);
      case SEQUENTIAL -> () -> executor.executeSequential(calls);
      case GRAPH -> () -> executor.executeGraph(graphOf(calls));
      case BATCH -> {
        Tool<Object, ?> tool = batchTool(calls);
        List<Object> inputs = inputsOf(calls);
        yield () -> executor.executeBatch(tool, inputs);
      }
    };
  }

  private CompletableFuture<RunResult> asyncEntry(Mode mode, List<? extends ToolCall<?, ?>> calls) {
    return switch (mode.shape) {
      case PARALLEL -> executor.executeParallelAsync(calls);
      case SEQUENTIAL -> executor.executeSequentialAsync(calls);
      case GRAPH -> executor.executeGraphAsync(graphOf(calls));
      case BATCH -> executor.executeBatchAsync(batchTool(calls), inputsOf(calls));
    };
  }

  private static ExecutionPlan plan(Mode.Shape shape, List<? extends ToolCall<?, ?>> calls) {
    return switch (shape) {
      case PARALLEL -> ExecutionPlan.parallel(calls);
      case SEQUENTIAL -> ExecutionPlan.sequential(calls);
      case GRAPH -> ExecutionPlan.graph(graphOf(calls));
      case BATCH -> ExecutionPlan.batch(batchTool(calls), inputsOf(calls));
    };
  }

  private static CallGraph graphOf(List<? extends ToolCall<?, ?>> calls) {
    CallGraph.Builder graph = CallGraph.builder();
    calls.forEach(graph::add);
    return graph.build();
  }

  /** The one tool of a batch scenario; fails on a scenario that is not a batch (a test bug). */
  @SuppressWarnings("unchecked")
  private static Tool<Object, ?> batchTool(List<? extends ToolCall<?, ?>> calls) {
    Tool<?, ?> tool = calls.getFirst().tool();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall<?, ?> call = calls.get(i);
      if (call.tool() != tool || !call.id().equals(tool.name() + "-" + i)) {
        throw new IllegalArgumentException(
            "not a batch scenario (one tool, ids NAME-i): " + calls + "; build it with calls()");
      }
    }
    return (Tool<Object, ?>) tool;
  }

  private static List<Object> inputsOf(List<? extends ToolCall<?, ?>> calls) {
    return calls.stream().<Object>map(ToolCall::input).toList();
  }

  public void markHung() {
    hung = true;
  }

  /** What the executor logged at WARNING and above so far, for the message of a failure. */
  public String engineLog() {
    return engineLog.summary();
  }

  /**
   * Collects the executor's own warnings ({@code dev.parallax} loggers), so that a hang is reported
   * with what the engine said about it (an event that failed, an exception it swallowed).
   */
  private static final class EngineLog extends Handler {
    private static final Logger PARALLAX = Logger.getLogger("dev.parallax");
    private final List<String> records = new ArrayList<>();

    public void attach() {
      setLevel(Level.WARNING);
      PARALLAX.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      if (isLoggable(record) && records.size() < 20) {
        records.add(
            record.getLevel()
                + " "
                + record.getMessage()
                + (record.getThrown() == null ? "" : ": " + record.getThrown()));
      }
    }

    public synchronized String summary() {
      return records.isEmpty() ? "nothing logged" : String.join("; ", records);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      PARALLAX.removeHandler(this);
    }
  }

  /**
   * Closes the executor and checks what must hold after any scenario: {@code close()} returns, no
   * run is left active, and every thread a probe ran on has ended once stubborn probes are
   * released.
   *
   * @throws AssertionError if one of those does not hold, or if the test thread is interrupted
   *     while checking
   */
  @Override
  public void close() {
    engineLog.close();
    try {
      closeAndCheck();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while closing the harness", e);
    }
  }

  private void closeAndCheck() throws InterruptedException {
    closeExecutor();
    List<Probe> all;
    synchronized (probes) {
      all = List.copyOf(probes);
    }
    for (Probe probe : all) {
      probe.release();
    }
    for (Probe probe : all) {
      for (Thread thread : probe.threads()) {
        thread.join(WAIT);
        assertThat(thread.isAlive())
            .as("no thread is left behind: %s of %s still runs", thread, probe)
            .isFalse();
      }
    }
  }

  /**
   * Closes the executor (idempotent) and checks that {@code close()} returns within the bound and
   * leaves no run active; stubborn probes are not released.
   *
   * @throws AssertionError if it does not return, throws, or leaves a run active
   */
  public void closeExecutor() throws InterruptedException {
    Duration bound = hung ? WAIT_AFTER_HANG : WAIT;
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("conformance-close")
        .start(
            () -> {
              try {
                executor.close();
                closed.complete(null);
              } catch (Throwable e) {
                closed.completeExceptionally(e);
              }
            });
    try {
      closed.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("ToolExecutor.close() did not return within " + bound, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("ToolExecutor.close() threw", e.getCause());
    }
    assertThat(executor.activeRuns()).as("runs left active after close()").isZero();
  }
}
