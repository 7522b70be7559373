package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.FailsafeDelayableRetryPolicyConformanceTest.causesAndSuppressed;
import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.spi.SchedulingPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenJDK's StructuredTaskScope tests, translated: a run is a scope whose subtasks are its calls.
 * Each attempt runs in a thread of its own; a deadline or a cancellation interrupts the unfinished
 * ones; an interrupted owner cancels the scope; a closed executor accepts no more work; a fault in
 * the code that decides about subtasks (the Joiner there, the scheduling and admission seams here)
 * never leaves the scope unfinished (issue 11 item 3); and no thread is left behind (checked by the
 * {@link Harness} after every case).
 *
 * <p>Source: openjdk/jdk, {@code
 * test/jdk/java/util/concurrent/StructuredTaskScope/StructuredTaskScopeTest.java}. Where the scope
 * throws from {@code join} (timeout, subtask failure), Parallax reports per-call results; where
 * {@code close} waits for straggling threads, {@code ToolExecutor.close()} returns and the
 * straggler ends when its tool returns.
 *
 * <p>Translated: {@code testForkCreatesVirtualThread}, {@code testJoinWithTimeout1}, {@code
 * testJoinWithTimeout2} with {@code testTimeoutInterruptsThreads}, {@code testJoinWithTimeout3},
 * {@code testCancelInterruptsThreads2}, {@code testInterruptJoin1}, {@code testForkAfterClose},
 * {@code testJoinWhenCancelled}, {@code testCloseWithoutJoin2} with {@code testInterruptClose1},
 * {@code testOnForkThrows}, {@code testOnCompleteThrows}. Skipped: owner confinement ({@code
 * *Confined}: a run may be driven from any thread), {@code StructureViolationException} nesting,
 * subtask state accessors and {@code Joiner} policies (Parallax returns every result; its failure
 * modes are tested in {@link LangGraphToolNodeConformanceTest}), {@code testInterruptJoin2} (in
 * {@link FailsafeInterruptionConformanceTest}), {@code testAllUntil5} (a throwing predicate: the
 * retry classifier case in {@link FailsafeDelayableRetryPolicyConformanceTest}), {@code toString}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenJdkStructuredTaskScopeConformanceTest {

  /** testForkCreatesVirtualThread: each attempt runs on a new virtual thread of its own. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testForkCreatesVirtualThread_eachAttemptOnItsOwnVirtualThread(Mode mode) throws Exception {
    try (Harness h = Harness.realTime(b -> b)) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns(null));

      RunResult run = h.run(mode, calls(probe, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9));

      assertThat(run.allSucceeded()).isTrue();
      assertThat(probe.threads()).hasSize(10).allMatch(Thread::isVirtual);
    }
  }

  static Stream<Arguments> modesAndLongDeadlines() {
    return Arrays.stream(Mode.values())
        .flatMap(
            m ->
                Stream.of(
                    Arguments.of(m, Duration.ofDays(1)),
                    // the "no limit" idiom must not overflow (issue 11 item 4)
                    Arguments.of(m, Duration.ofSeconds(Long.MAX_VALUE))));
  }

  /** Where a run deadline is given. */
  enum DeadlineSource {
    EXECUTOR,
    PLAN
  }

  static Stream<Arguments> modesLongDeadlinesAndSources() {
    return modesAndLongDeadlines()
        .flatMap(
            a ->
                Arrays.stream(DeadlineSource.values())
                    .map(s -> Arguments.of(a.get()[0], a.get()[1], s)));
  }

  /**
   * testJoinWithTimeout1: calls that end before the deadline succeed, nothing is cancelled, and the
   * deadline's timer is cancelled; with a day and with the "no limit" idiom, on the executor
   * ({@code runDeadline}) and on the plan ({@code withDeadline}).
   */
  @ParameterizedTest
  @MethodSource("modesLongDeadlinesAndSources")
  void testJoinWithTimeout1_callsEndBeforeTheDeadline_succeed(
      Mode mode, Duration deadline, DeadlineSource source) throws Exception {
    try (Harness h =
        Harness.virtualTime(b -> source == DeadlineSource.EXECUTOR ? b.runDeadline(deadline) : b)) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns("foo"));
      UnaryOperator<ExecutionPlan> tweak =
          source == DeadlineSource.PLAN ? plan -> plan.withDeadline(deadline) : null;

      RunResult run = h.start(mode, calls(probe, 0, 1), tweak).result();

      assertThat(run.allSucceeded()).as("results: %s", run.results()).isTrue();
      assertThat(h.clock().pendingTasks()).as("the deadline's timer is cancelled").isZero();
    }
  }

  /**
   * testJoinWithTimeout2 and testTimeoutInterruptsThreads: when the deadline passes, running calls
   * end {@code TIMED_OUT} and are interrupted, calls not started end {@code CANCELLED} without ever
   * starting.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testJoinWithTimeout2_deadlinePasses_runningTimedOutAndInterrupted_restCancelled(Mode mode)
      throws Exception {
    Duration deadline = Duration.ofSeconds(2);
    try (Harness h = Harness.virtualTime(b -> b.maxConcurrency(2).runDeadline(deadline))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.blocks());
      int running = mode.shape == Mode.Shape.SEQUENTIAL ? 1 : 2;
      Started started = h.start(mode, calls(probe, 0, 1, 2));
      probe.awaitStarts(running);

      h.clock().advance(deadline);
      RunResult run = started.result();

      for (CallResult<?> result : run.results().subList(0, running)) {
        assertThat(result.status()).isEqualTo(CallStatus.TIMED_OUT);
        assertThat(result.error()).isInstanceOf(ToolTimeoutException.class);
      }
      for (CallResult<?> result : run.results().subList(running, 3)) {
        assertThat(result.status()).isEqualTo(CallStatus.CANCELLED);
        assertThat(result.attempts()).isZero();
      }
      probe.awaitInterrupts(running);
      assertThat(probe.starts()).isEqualTo(running);
    }
  }

  /**
   * testJoinWithTimeout3: a deadline that has already expired (zero or negative) is refused where
   * it is given, naming the value; so is such an attempt timeout.
   */
  @Test
  void testJoinWithTimeout3_expiredDeadline_refusedWhereGiven() {
    Probe probe = new Probe("probe", true, true, (in, attempt) -> Probe.returns(null));
    ExecutionPlan plan = ExecutionPlan.parallel(calls(probe, 0));
    for (Duration expired : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
      assertThatThrownBy(() -> plan.withDeadline(expired))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(expired.toString());
      assertThatThrownBy(() -> ToolExecutor.builder().runDeadline(expired))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(expired.toString());
      assertThatThrownBy(() -> ToolExecutor.builder().attemptTimeout(expired))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(expired.toString());
    }
  }

  /**
   * testCancelInterruptsThreads2: cancelling interrupts the unfinished call; the finished one keeps
   * its value.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testCancelInterruptsThreads2_cancelInterruptsUnfinished_finishedKeepsItsValue(Mode mode)
      throws Exception {
    try (Harness h = Harness.virtualTime(b -> b)) {
      Probe probe =
          h.probe(
              "probe", (in, attempt) -> (Integer) in == 0 ? Probe.returns("bar") : Probe.blocks());
      Started started = h.start(mode, calls(probe, 0, 1));
      h.events.await("succeeded probe-0");
      probe.awaitStarts(2);

      started.cancel();
      RunResult run = started.result();

      assertThat(run.get("probe-0").status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(run.get("probe-0").value()).isEqualTo("bar");
      assertThat(run.get("probe-1").status()).isEqualTo(CallStatus.CANCELLED);
      assertThat(run.get("probe-1").error()).isInstanceOf(CancellationException.class);
      probe.awaitInterrupts(1);
    }
  }

  /**
   * testInterruptJoin1: an owner whose interrupt flag is already set when it calls {@code execute*}
   * gets its run cancelled at once, every result final, and its flag still set.
   */
  @ParameterizedTest
  @EnumSource(value = Mode.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*_SYNC")
  void testInterruptJoin1_callerAlreadyInterrupted_runCancelledFlagKept(Mode mode)
      throws Exception {
    try (Harness h = Harness.virtualTime(b -> b)) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.blocks());
      Supplier<RunResult> execute = h.syncCall(mode, calls(probe, 0, 1));
      Started started =
          Started.sync(
              h,
              () -> {
                Thread.currentThread().interrupt();
                return execute.get();
              });

      RunResult run = started.result();

      assertThat(run.results()).extracting(CallResult::status).containsOnly(CallStatus.CANCELLED);
      assertThat(started.callerInterruptFlagKept()).isTrue();
    }
  }

  /** testForkAfterClose: a closed executor refuses new work in every mode, at once. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testForkAfterClose_closedExecutorRefusesNewRuns(Mode mode) throws Exception {
    try (Harness h = Harness.virtualTime(b -> b)) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns("never"));
      h.executor.close();

      List<ToolCall<?, ?>> calls = calls(probe, 0);
      assertThatThrownBy(
              () -> {
                switch (mode.invocation) {
                  case SYNC -> h.syncCall(mode, calls).get();
                  case ASYNC, RUN -> h.start(mode, calls);
                }
              })
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      assertThat(probe.starts()).isZero();
    }
  }

  /**
   * testJoinWhenCancelled: once a run has stopped (here failing fast), calls not yet started never
   * start.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testJoinWhenCancelled_afterTheRunStops_queuedCallsNeverStart(Mode mode) throws Exception {
    try (Harness h = Harness.virtualTime(b -> b)) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  (Integer) in == 0
                      ? Probe.fails(new IllegalStateException("stop"))
                      : Probe.returns("bar"));
      UnaryOperator<ExecutionPlan> oneAtATime =
          plan -> {
            ExecutionPlan failFast = plan.withFailureMode(FailureMode.FAIL_FAST);
            return mode.shape == Mode.Shape.SEQUENTIAL ? failFast : failFast.withMaxConcurrency(1);
          };

      RunResult run = h.run(mode, calls(probe, 0, 1, 2), oneAtATime);

      assertThat(run.results())
          .extracting(CallResult::status)
          .containsExactly(CallStatus.FAILED, CallStatus.CANCELLED, CallStatus.CANCELLED);
      assertThat(run.results()).extracting(CallResult::attempts).containsExactly(1, 0, 0);
      assertThat(probe.starts()).isOne();
    }
  }

  /**
   * testCloseWithoutJoin2 and testInterruptClose1: closing the executor with a run in progress
   * cancels it and returns, even while a straggler that ignores its interrupt runs on; the
   * straggler's thread ends when its tool returns (checked by the harness, which releases it).
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void testCloseWithoutJoin2_closeCancelsRunsInProgress_returnsDespiteAStraggler(Mode mode)
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Harness h = Harness.virtualTime(b -> b)) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  (Integer) in == 0 ? Probe.stubborn(release, "late") : Probe.blocks());
      Started started = h.start(mode, calls(probe, 0, 1));
      int running = mode.shape == Mode.Shape.SEQUENTIAL ? 1 : 2;
      probe.awaitStarts(running);

      h.closeExecutor(); // returns within the bound although the stubborn body runs on
      RunResult run = started.result();

      assertThat(run.results()).extracting(CallResult::status).containsOnly(CallStatus.CANCELLED);
      probe.awaitInterrupts(running); // the straggler got its interrupt too, and ignores it
      assertThat(h.executor.activeRuns()).isZero();
    }
  }

  /** The seam a faulty plug-in breaks. */
  enum Seam {
    /** {@code ReadyQueue.add}: a call is handed over to run (the scope's {@code onFork}). */
    READY_QUEUE_ADD,
    /** {@code Admission.tryAcquire}: a call asks for its permit. */
    ADMISSION_TRY_ACQUIRE,
    /** {@code ReadyQueue.onFinished}: a call has ended (the scope's {@code onComplete}). */
    READY_QUEUE_ON_FINISHED
  }

  static Stream<Arguments> modesAndSeams() {
    return Arrays.stream(Mode.values())
        .flatMap(m -> Arrays.stream(Seam.values()).map(s -> Arguments.of(m, s)));
  }

  /**
   * testOnForkThrows and testOnCompleteThrows: a plug-in that throws when a call is handed over,
   * asks for its permit, or ends never leaves the run unfinished (issue 11 item 3): every call gets
   * a final result, a call the fault stopped fails carrying the plug-in's exception (a sequence
   * then cancels the rest, failing fast), and {@code close()} returns. A sequence keeps its own
   * queue, so the queue faults do not reach it.
   */
  @ParameterizedTest
  @MethodSource("modesAndSeams")
  void testOnForkThrows_faultyPlugIn_runStillFinishes(Mode mode, Seam seam) throws Exception {
    FooException foo = new FooException();
    try (Harness h = Harness.virtualTime(b -> faulty(b, seam, foo))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns("foo"));

      RunResult run = h.run(mode, calls(probe, 0, 1));

      assertThat(run.results()).hasSize(2).allSatisfy(r -> assertThat(r.status()).isNotNull());
      for (CallResult<?> result : run.results()) {
        if (result.status() == CallStatus.FAILED) {
          assertThat(causesAndSuppressed(result.error()))
              .as("a call the fault failed carries the plug-in's exception")
              .contains(foo);
        } else if (!result.isSuccess()) {
          assertThat(result.status())
              .as("a sibling may only be cancelled (a sequence fails fast)")
              .isEqualTo(CallStatus.CANCELLED);
        }
      }
      boolean reachesTheCalls =
          seam == Seam.ADMISSION_TRY_ACQUIRE
              || (seam == Seam.READY_QUEUE_ADD && mode.shape != Mode.Shape.SEQUENTIAL);
      if (reachesTheCalls) {
        assertThat(run.results())
            .as("a call the fault stopped fails, carrying the plug-in's exception")
            .anySatisfy(
                r -> {
                  assertThat(r.status()).isEqualTo(CallStatus.FAILED);
                  assertThat(causesAndSuppressed(r.error())).contains(foo);
                });
      }
    }
  }

  private static ToolExecutor.Builder faulty(ToolExecutor.Builder b, Seam seam, FooException foo) {
    return switch (seam) {
      case READY_QUEUE_ADD -> b.scheduling(faultyQueue(foo, true));
      case READY_QUEUE_ON_FINISHED -> b.scheduling(faultyQueue(foo, false));
      case ADMISSION_TRY_ACQUIRE ->
          b.admissionControl(
              (runId, capacityAvailable) ->
                  new Admission() {
                    @Override
                    public boolean tryAcquire(PendingCall call) {
                      throw foo;
                    }

                    @Override
                    public void release(PendingCall call, AttemptSample sample) {}
                  });
    };
  }

  private static SchedulingPolicy faultyQueue(FooException foo, boolean onAdd) {
    return new SchedulingPolicy() {
      @Override
      public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
        return new ReadyQueue<C>() {
          private final ArrayDeque<C> ready = new ArrayDeque<>();

          @Override
          public void add(C call) {
            if (onAdd) {
              throw foo;
            }
            ready.add(call);
          }

          @Override
          public @Nullable C poll() {
            return ready.poll();
          }

          @Override
          public void onFinished(C call, CallResult<?> result) {
            if (!onAdd) {
              throw foo;
            }
          }
        };
      }
    };
  }

  /** The scope tests' {@code FooException}. */
  static final class FooException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }
}
