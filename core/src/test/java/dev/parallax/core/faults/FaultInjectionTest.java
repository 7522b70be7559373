package dev.parallax.core.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.SeamFailureException.Seam;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.core.testing.ThrowingTimeSource;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every piece of user or plug-in code on the engine's path — each listener callback, the retry
 * classifier, the scheduling queue, the admission seam, the predictor, the fallback policy, the
 * runner, the time source — throwing a {@link RuntimeException} and an {@link Error}, in every
 * mode, waited for synchronously, through a future and through a {@code ToolRun}. Whatever throws,
 * the run ends with a final result for every call, {@code close()} returns and no tool body is left
 * running. Each case is bounded, so a hang fails instead of stalling the build.
 *
 * <p>Where the code only watches or advises (listeners, predictor, fallback, releasing a slot) the
 * calls succeed as if nothing happened; where it decides (classifier, queue, admission, runner,
 * time source) the affected calls fail with a {@link SeamFailureException} naming the seam.
 */
class FaultInjectionTest {

  private static final Duration BOUND = Duration.ofSeconds(20);

  enum Mode {
    PARALLEL,
    SEQUENTIAL,
    GRAPH,
    BATCH
  }

  enum Wait {
    SYNC,
    ASYNC,
    TOOL_RUN
  }

  enum Kind {
    RUNTIME_EXCEPTION,
    ERROR;

    Throwable make(String where) {
      return this == ERROR
          ? new AssertionError("injected into " + where)
          : new IllegalStateException("injected into " + where);
    }
  }

  /** The listener callbacks; each case makes one of them throw. */
  static final List<String> CALLBACKS =
      List.of(
          "onRunStarted",
          "onQueued",
          "onStarted",
          "onAttemptFailed",
          "onRetryScheduled",
          "onFinished",
          "onSkipped",
          "onRunFinished");

  /** Where a fault goes, and which seam the affected calls must name (null: calls unaffected). */
  enum Fault {
    CLASSIFIER(Seam.RETRY_POLICY),
    NEW_QUEUE(Seam.SCHEDULING),
    QUEUE_ADD(Seam.SCHEDULING),
    QUEUE_POLL(Seam.SCHEDULING),
    QUEUE_ON_FINISHED(Seam.SCHEDULING),
    ADMISSION_OPEN(Seam.ADMISSION),
    TRY_ACQUIRE(Seam.ADMISSION),
    RELEASE(null),
    ADMISSION_CLOSE(null),
    PREDICTOR(null),
    FALLBACK_BEFORE_START(null),
    RUNNER(Seam.RUNNER),
    TIME_SOURCE(Seam.ENGINE);

    final @Nullable Seam seam;

    Fault(@Nullable Seam seam) {
      this.seam = seam;
    }
  }

  static Stream<Arguments> listenerFaults() {
    List<Arguments> cases = new ArrayList<>();
    for (String callback : CALLBACKS) {
      for (Kind kind : Kind.values()) {
        for (Mode mode : Mode.values()) {
          for (Wait wait : Wait.values()) {
            cases.add(Arguments.of(callback, kind, mode, wait));
          }
        }
      }
    }
    return cases.stream();
  }

  static Stream<Arguments> seamFaults() {
    List<Arguments> cases = new ArrayList<>();
    for (Fault fault : Fault.values()) {
      for (Kind kind : Kind.values()) {
        for (Mode mode : Mode.values()) {
          for (Wait wait : Wait.values()) {
            cases.add(Arguments.of(fault, kind, mode, wait));
          }
        }
      }
    }
    return cases.stream();
  }

  // Regression: an Error thrown by a listener left the run unfinished and close() blocked.
  @ParameterizedTest(name = "{0} throws {1}, {2}, {3}")
  @MethodSource("listenerFaults")
  void listenerThrowing_inAnyCallback_isIgnored_andTheRunCompletes(
      String callback, Kind kind, Mode mode, Wait wait) {
    ExecutionListener throwing =
        (ExecutionListener)
            Proxy.newProxyInstance(
                ExecutionListener.class.getClassLoader(),
                new Class<?>[] {ExecutionListener.class},
                (proxy, method, args) -> {
                  if (method.getName().equals(callback)) {
                    throw kind.make(callback);
                  }
                  return method.getDeclaringClass() == Object.class
                      ? method.invoke(this, args)
                      : null;
                });
    Workload work = new Workload(mode, callback.equals("onSkipped"));
    RunResult run = work.run(wait, b -> b.listener(throwing));

    work.assertEveryCallFinal(run);
    for (CallResult<?> result : run.results()) {
      CallStatus expected =
          result.callId().equals(work.doomedId()) ? CallStatus.FAILED : CallStatus.SUCCEEDED;
      if (mode == Mode.GRAPH && work.withDoomed && result.callId().equals("d")) {
        expected = CallStatus.SKIPPED;
      }
      assertThat(result.status()).as(result.callId()).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0} throws {1}, {2}, {3}")
  @MethodSource("seamFaults")
  void seamThrowing_failsOnlyTheCallsItAffects_namingTheSeam_andTheRunCompletes(
      Fault fault, Kind kind, Mode mode, Wait wait) {
    Workload work = new Workload(mode, false);
    RunResult run = work.run(wait, b -> inject(b, fault, kind));

    work.assertEveryCallFinal(run);
    boolean queueUnused =
        mode == Mode.SEQUENTIAL && fault.name().contains("QUEUE"); // a sequence is always FIFO
    if (fault.seam == null || queueUnused) {
      assertThat(run.results())
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(CallStatus.SUCCEEDED));
      return;
    }
    List<CallResult<?>> failed =
        run.results().stream().filter(r -> r.status() == CallStatus.FAILED).toList();
    assertThat(failed).as("calls failed by the fault").isNotEmpty();
    for (CallResult<?> result : failed) {
      assertThat(result.error())
          .as(result.callId())
          .isInstanceOfSatisfying(
              SeamFailureException.class,
              e -> {
                assertThat(e.seam()).isEqualTo(fault.seam);
                assertThat(e).hasRootCauseMessage("injected into " + fault);
              });
    }
    if (fault == Fault.CLASSIFIER) {
      CallResult<?> classified = run.get(work.flakyId());
      assertThat(classified.status()).isEqualTo(CallStatus.FAILED);
      assertThat(classified.error().getSuppressed())
          .as("the tool's own error is kept")
          .singleElement()
          .isInstanceOf(IOException.class);
      assertThat(failed).as("only the call being classified").hasSize(1);
    }
  }

  private static ToolExecutor.Builder inject(ToolExecutor.Builder b, Fault fault, Kind kind) {
    String where = fault.toString();
    return switch (fault) {
      case CLASSIFIER ->
          b.retryPolicy(
              RetryPolicy.builder()
                  .maxAttempts(2)
                  .initialDelay(Duration.ZERO)
                  .retryOn(
                      e -> {
                        throw sneaky(kind.make(where));
                      })
                  .build());
      case NEW_QUEUE ->
          b.scheduling(
              new SchedulingPolicy() {
                @Override
                public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
                  throw sneaky(kind.make(where));
                }
              });
      case QUEUE_ADD, QUEUE_POLL, QUEUE_ON_FINISHED ->
          b.scheduling(
              new SchedulingPolicy() {
                @Override
                public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
                  return new FaultyQueue<>(fault, kind.make(where));
                }
              });
      case ADMISSION_OPEN ->
          b.admissionControl(
              (runId, capacity) -> {
                throw sneaky(kind.make(where));
              });
      case TRY_ACQUIRE, RELEASE, ADMISSION_CLOSE ->
          b.admissionControl((runId, capacity) -> new FaultyAdmission(fault, kind.make(where)));
      case PREDICTOR ->
          b.predictor(
              call -> {
                throw sneaky(kind.make(where));
              });
      case FALLBACK_BEFORE_START ->
          b.fallback(
              new FallbackPolicy() {
                @Override
                public FallbackPolicy.@Nullable Swap replaceBeforeStart(PendingCall call) {
                  throw sneaky(kind.make(where));
                }
              });
      case RUNNER ->
          b.runner(
              attempt -> {
                throw sneaky(kind.make(where));
              });
      case TIME_SOURCE ->
          b.timeSource(new ThrowingTimeSource(kind.make(where)))
              .attemptTimeout(Duration.ofMinutes(1));
    };
  }

  /** Throws any throwable from a lambda that may not declare it. */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  /**
   * Four calls of a tool whose call with input 2 fails its first attempt; optionally one doomed.
   */
  static final class Workload {
    final Mode mode;
    final boolean withDoomed;
    final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final AtomicInteger bodiesRunning = new AtomicInteger();
    final Tool<Integer, Integer> tool;

    Workload(Mode mode, boolean withDoomed) {
      this.mode = mode;
      this.withDoomed = withDoomed && mode == Mode.GRAPH; // a skipped call needs a graph
      this.tool =
          Tools.named("tool")
              .idempotent(true)
              .input(Integer.class)
              .function(
                  (in, ctx) -> {
                    bodiesRunning.incrementAndGet();
                    try {
                      int attempt =
                          attempts.computeIfAbsent(in, k -> new AtomicInteger()).incrementAndGet();
                      if (in == 2 && attempt == 1) {
                        throw new IOException("transient failure of input 2");
                      }
                      if (in == 0) {
                        throw new IOException("doomed");
                      }
                      return in * 10;
                    } finally {
                      bodiesRunning.decrementAndGet();
                    }
                  });
    }

    String flakyId() {
      return mode == Mode.BATCH ? "tool-1" : "c2";
    }

    @Nullable String doomedId() {
      return withDoomed ? "doomed" : null;
    }

    ExecutionPlan plan() {
      List<ToolCall<?, ?>> calls =
          List.of(
              ToolCall.of("c1", tool, 1),
              ToolCall.of("c2", tool, 2),
              ToolCall.of("c3", tool, 3),
              ToolCall.of("c4", tool, 4));
      return switch (mode) {
        case PARALLEL -> ExecutionPlan.parallel(calls);
        case SEQUENTIAL -> ExecutionPlan.sequential(calls);
        case BATCH -> ExecutionPlan.batch(tool, List.of(1, 2, 3, 4));
        case GRAPH -> {
          CallGraph.Builder graph =
              CallGraph.builder()
                  .add(calls.get(0))
                  .add(calls.get(1), "c1")
                  .add(
                      ToolCall.derived(
                          "c3", tool, deps -> (Integer) deps.get("c2").value() / 10 + 1),
                      "c2")
                  .add(calls.get(3));
          if (withDoomed) {
            graph.add(ToolCall.of("doomed", tool, 0)).add(ToolCall.of("d", tool, 5), "doomed");
          }
          yield ExecutionPlan.graph(graph.build());
        }
      };
    }

    RunResult run(Wait wait, Function<ToolExecutor.Builder, ToolExecutor.Builder> options) {
      return assertTimeoutPreemptively(
          BOUND,
          () -> {
            ToolExecutor executor =
                options
                    .apply(
                        ToolExecutor.builder()
                            .retryPolicy(
                                RetryPolicy.builder()
                                    .maxAttempts(2)
                                    .initialDelay(Duration.ZERO)
                                    .build()))
                    .build();
            RunResult result;
            try {
              result =
                  switch (wait) {
                    case SYNC -> executor.execute(plan());
                    case ASYNC -> executor.executeAsync(plan()).join();
                    case TOOL_RUN -> executor.start(plan()).result().join();
                  };
            } finally {
              executor.close();
            }
            assertThat(executor.activeRuns()).isZero();
            return result;
          },
          "the run or close() did not end");
    }

    void assertEveryCallFinal(RunResult run) {
      int expected = withDoomed ? 6 : 4;
      assertThat(run.results()).hasSize(expected).allSatisfy(r -> assertThat(r).isNotNull());
      assertThat(bodiesRunning).as("no tool body left running").hasValue(0);
    }
  }

  /** A FIFO queue that throws from one of its methods, once the run is under way. */
  static final class FaultyQueue<C extends PendingCall> implements ReadyQueue<C> {
    private final ArrayDeque<C> calls = new ArrayDeque<>();
    private final Fault fault;
    private final Throwable error;
    private int adds;

    FaultyQueue(Fault fault, Throwable error) {
      this.fault = fault;
      this.error = error;
    }

    @Override
    public void add(C call) {
      if (fault == Fault.QUEUE_ADD && ++adds == 2) {
        throw sneaky(error);
      }
      calls.add(call);
    }

    @Override
    public @Nullable C poll() {
      if (fault == Fault.QUEUE_POLL && !calls.isEmpty()) {
        throw sneaky(error);
      }
      return calls.poll();
    }

    @Override
    public void onFinished(C call, CallResult<?> result) {
      if (fault == Fault.QUEUE_ON_FINISHED) {
        throw sneaky(error);
      }
    }
  }

  /** Admits everything, but throws from one of its methods. */
  static final class FaultyAdmission implements Admission {
    private final Fault fault;
    private final Throwable error;

    FaultyAdmission(Fault fault, Throwable error) {
      this.fault = fault;
      this.error = error;
    }

    @Override
    public boolean tryAcquire(PendingCall call) {
      if (fault == Fault.TRY_ACQUIRE) {
        throw sneaky(error);
      }
      return true;
    }

    @Override
    public void release(PendingCall call, AttemptSample sample) {
      if (fault == Fault.RELEASE) {
        throw sneaky(error);
      }
    }

    @Override
    public void close() {
      if (fault == Fault.ADMISSION_CLOSE) {
        throw sneaky(error);
      }
    }
  }
}
