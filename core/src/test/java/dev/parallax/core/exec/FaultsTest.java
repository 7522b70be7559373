package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.testing.RecordingListener;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Tools that misbehave, on real virtual threads; waiting is done with latches, never sleeps. */
class FaultsTest {

  private static final long LATCH_SECONDS = 30;

  @Test
  void toolThrowingError_checkedException_orReturningNull_isReportedNotPropagated() {
    Tool<Object, Object> throwsError =
        Tools.named("error")
            .input(Object.class)
            .function(
                (in, ctx) -> {
                  throw new StackOverflowError("deep");
                });
    Tool<Object, Object> throwsChecked =
        Tools.named("checked")
            .idempotent(true)
            .input(Object.class)
            .function(
                (in, ctx) -> {
                  throw new IOException("disk gone");
                });
    Tool<Object, Object> returnsNull =
        Tools.named("nothing").input(Object.class).function((in, ctx) -> null);

    try (ToolExecutor executor =
        ToolExecutor.builder()
            .retryPolicy(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ZERO).build())
            .build()) {
      for (ExecutionPlan plan :
          List.of(
              ExecutionPlan.parallel(calls(List.of(throwsError, throwsChecked, returnsNull))),
              ExecutionPlan.sequential(calls(List.of(throwsError, throwsChecked, returnsNull)))
                  .withFailureMode(dev.parallax.core.policy.FailureMode.CONTINUE))) {
        RunResult run = executor.execute(plan);

        CallResult<?> error = run.get("error");
        assertThat(error.status()).isEqualTo(CallStatus.FAILED);
        assertThat(error.error()).isInstanceOf(StackOverflowError.class);
        assertThat(error.attempts()).as("an Error is never retried").isEqualTo(1);
        CallResult<?> checked = run.get("checked");
        assertThat(checked.status()).isEqualTo(CallStatus.FAILED);
        assertThat(checked.error()).isInstanceOf(IOException.class).hasMessage("disk gone");
        assertThat(checked.attempts()).isEqualTo(2);
        CallResult<?> nothing = run.get("nothing");
        assertThat(nothing.status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(nothing.value()).isNull();
        assertThat(nothing.valueIfPresent()).isEmpty();
      }
    }
  }

  @Test
  void toolIgnoringInterruption_timesOutAtItsDeadline_andItsThreadEndsWhenItReturns()
      throws Exception {
    VirtualTime time = new VirtualTime();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> toolThread = new AtomicReference<>();
    AtomicInteger interruptsIgnored = new AtomicInteger();
    Tool<Object, String> stubborn =
        Tools.named("stubborn")
            .input(Object.class)
            .function(
                (in, ctx) -> {
                  toolThread.set(Thread.currentThread());
                  started.countDown();
                  while (true) {
                    try {
                      release.await();
                      return "finally";
                    } catch (InterruptedException e) {
                      interruptsIgnored.incrementAndGet(); // swallow it, like a badly written tool
                    }
                  }
                });

    try (ToolExecutor executor =
        ToolExecutor.builder().timeSource(time).attemptTimeout(Duration.ofSeconds(2)).build()) {
      ToolRun run =
          executor.start(ExecutionPlan.parallel(List.of(ToolCall.of("s", stubborn, "x"))));
      assertThat(started.await(LATCH_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(run.isDone()).isFalse();

      time.advance(Duration.ofSeconds(2));

      assertThat(run.isDone())
          .as("the run ends at the deadline, not when the tool returns")
          .isTrue();
      CallResult<?> result = run.result().join().get("s");
      assertThat(result.status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(result.error())
          .isInstanceOf(ToolTimeoutException.class)
          .hasMessageContaining("PT2S");
      assertThat(result.runTime()).isEqualTo(Duration.ofSeconds(2));

      release.countDown();
      toolThread.get().join(Duration.ofSeconds(LATCH_SECONDS));
      assertThat(toolThread.get().isAlive()).as("no thread is left behind").isFalse();
      assertThat(interruptsIgnored).hasValue(1);
      assertThat(run.result().join().get("s").status())
          .as("a late return does not change a final result")
          .isEqualTo(CallStatus.TIMED_OUT);
    }
  }

  @Test
  void cancellingARunMidway_interruptsRunningTools_neverStartsQueuedOnes() throws Exception {
    int running = 3;
    CountDownLatch allStarted = new CountDownLatch(running);
    CountDownLatch allInterrupted = new CountDownLatch(running);
    AtomicInteger starts = new AtomicInteger();
    Tool<Object, String> blocking = blockUntilInterrupted(starts, allStarted, allInterrupted);
    RecordingListener events = new RecordingListener();

    try (ToolExecutor executor =
        ToolExecutor.builder().maxConcurrency(running).listener(events).build()) {
      ToolRun run = executor.start(ExecutionPlan.batch(blocking, List.of(1, 2, 3, 4, 5, 6, 7, 8)));
      assertThat(allStarted.await(LATCH_SECONDS, TimeUnit.SECONDS)).isTrue();

      assertThat(run.cancel()).isTrue();

      assertThat(run.isDone()).isTrue();
      RunResult result = run.result().join();
      assertThat(result.results())
          .allSatisfy(
              r -> {
                assertThat(r.status()).isEqualTo(CallStatus.CANCELLED);
                assertThat(r.error()).isInstanceOf(CancellationException.class);
              });
      assertThat(result.results().subList(0, running)).allMatch(r -> r.attempts() == 1);
      assertThat(result.results().subList(running, 8)).allMatch(r -> r.attempts() == 0);
      assertThat(allInterrupted.await(LATCH_SECONDS, TimeUnit.SECONDS))
          .as("every running tool was interrupted")
          .isTrue();
      assertThat(starts).as("queued calls never start").hasValue(running);
      assertThat(run.cancel()).as("cancelling twice does nothing").isFalse();
      assertThat(events.finishedPerCall())
          .hasSize(8)
          .allSatisfy((id, n) -> assertThat(n).hasValue(1));
      assertThat(executor.activeRuns()).isZero();
    }
  }

  @Test
  void cancellingTheFuture_cancelsTheRun() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Tool<Object, String> blocking =
        blockUntilInterrupted(new AtomicInteger(), started, interrupted);
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      var future = executor.executeParallelAsync(List.of(ToolCall.of("b", blocking, 1)));
      assertThat(started.await(LATCH_SECONDS, TimeUnit.SECONDS)).isTrue();
      future.cancel(true);
      assertThat(interrupted.await(LATCH_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void interruptingTheWaitingCaller_cancelsTheRunAndReturnsFinalResults() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Tool<Object, String> blocking =
        Tools.named("blocking")
            .input(Object.class)
            .function(
                (in, ctx) -> {
                  started.countDown();
                  new CountDownLatch(1).await();
                  return "never";
                });
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      AtomicReference<RunResult> seen = new AtomicReference<>();
      AtomicReference<Boolean> flagKept = new AtomicReference<>();
      Thread caller =
          Thread.ofVirtual()
              .start(
                  () -> {
                    seen.set(executor.executeParallel(List.of(ToolCall.of("b", blocking, 1))));
                    flagKept.set(Thread.currentThread().isInterrupted());
                  });
      assertThat(started.await(LATCH_SECONDS, TimeUnit.SECONDS)).isTrue();
      caller.interrupt();
      caller.join(Duration.ofSeconds(LATCH_SECONDS));

      assertThat(seen.get().get("b").status()).isEqualTo(CallStatus.CANCELLED);
      assertThat(flagKept.get()).isTrue();
    }
  }

  @Test
  void closingTheExecutor_stopsItsTimerThread() {
    ToolExecutor executor = ToolExecutor.builder().attemptTimeout(Duration.ofSeconds(1)).build();
    executor.executeParallel(
        List.of(
            ToolCall.of("a", Tools.named("t").input(Object.class).function((in, ctx) -> "ok"), 1)));
    executor.close();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("parallax-timer") && t.isAlive());
  }

  /** A tool that counts its starts and blocks until interrupted, counting interruptions too. */
  private static Tool<Object, String> blockUntilInterrupted(
      AtomicInteger starts, CountDownLatch started, CountDownLatch interrupted) {
    return Tools.named("blocking")
        .input(Object.class)
        .function(
            (in, ctx) -> {
              starts.incrementAndGet();
              started.countDown();
              try {
                new CountDownLatch(1).await();
                return "never";
              } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
              }
            });
  }

  private static List<ToolCall<?, ?>> calls(List<Tool<Object, ?>> tools) {
    return tools.stream().<ToolCall<?, ?>>map(t -> ToolCall.of(t.name(), t, "in")).toList();
  }
}
