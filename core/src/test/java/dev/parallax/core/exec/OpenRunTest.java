package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Open runs: calls submitted while the run is under way, until complete(). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenRunTest {

  /** A tool that says it started and then waits for its gate. */
  private static Tool<String, String> gated(
      String name, CountDownLatch started, CountDownLatch gate) {
    return Tools.named(name)
        .input(String.class)
        .function(
            (in, ctx) -> {
              started.countDown();
              gate.await();
              return name + ":" + in;
            });
  }

  private static final Tool<String, String> ECHO =
      Tools.named("echo").input(String.class).function((in, ctx) -> "echo:" + in);

  @Test
  void submit_startsEachCallBeforeComplete_resultsInSubmissionOrder() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      OpenRun run = executor.open();
      var first = run.submit(ToolCall.of("a", gated("slow", firstStarted, gate), "1"));
      firstStarted.await(); // started while the run is still open
      var second = run.submit(ToolCall.of("b", gated("slow2", secondStarted, gate), "2"));
      secondStarted.await(); // both run at once
      var third = run.submit(ToolCall.of("c", ECHO, "3"));
      assertThat(third.get().value()).isEqualTo("echo:3"); // ends before its elders
      assertThat(first).isNotDone();
      assertThat(run.isOpen()).isTrue();
      run.complete();
      assertThat(run.isOpen()).isFalse();
      assertThat(run.result()).isNotDone();
      gate.countDown();

      RunResult result = run.result().get();
      assertThat(result.results()).extracting(CallResult::callId).containsExactly("a", "b", "c");
      assertThat(result.results())
          .extracting(r -> (Object) r.value())
          .containsExactly("slow:1", "slow2:2", "echo:3");
      assertThat(first.get().status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(second.get().value()).isEqualTo("slow2:2");
      assertThat(executor.activeRuns()).isZero();
    }
  }

  @Test
  void complete_withoutCalls_endsWithNoResults() throws Exception {
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      OpenRun run = executor.open();
      run.complete();
      run.complete(); // idempotent
      assertThat(run.result().get().results()).isEmpty();
    }
  }

  @Test
  void open_withPlan_startsItsCallsFirst_andTakesMore() throws Exception {
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      OpenRun run = executor.open(ExecutionPlan.parallel(List.of(ToolCall.of("p", ECHO, "0"))));
      run.submit(ToolCall.of("q", ECHO, "1"));
      assertThatThrownBy(() -> run.submit(ToolCall.of("p", ECHO, "again")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("duplicate call id 'p'");
      run.complete();
      assertThat(run.result().get().results())
          .extracting(CallResult::callId)
          .containsExactly("p", "q");
    }
  }

  @Test
  void submit_afterComplete_throwsIllegalState() {
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      OpenRun run = executor.open();
      run.complete();
      assertThatThrownBy(() -> run.submit(ToolCall.of("late", ECHO, "x")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("complete() was called")
          .hasMessageContaining("late");
    }
  }

  @Test
  void cancel_endsRunningCallsCancelled_andRefusesLaterCalls() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      OpenRun run = executor.open();
      var call = run.submit(ToolCall.of("a", gated("blocked", started, never), "x"));
      started.await();
      assertThat(run.cancel()).isTrue();
      assertThat(run.result()).isDone(); // cancel returns once every result is final
      assertThat(call.get().status()).isEqualTo(CallStatus.CANCELLED);
      assertThatThrownBy(() -> run.submit(ToolCall.of("b", ECHO, "y")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cancelled");
    }
  }

  @Test
  void deadline_timesOutRunningCalls_andEndsTheRunWithoutComplete() throws Exception {
    VirtualTime time = new VirtualTime();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    try (ToolExecutor executor = ToolExecutor.builder().timeSource(time).build()) {
      OpenRun run =
          executor.open(ExecutionPlan.parallel(List.of()).withDeadline(Duration.ofSeconds(5)));
      var call = run.submit(ToolCall.of("a", gated("blocked", started, never), "x"));
      started.await();
      time.advance(Duration.ofSeconds(5));
      RunResult result = run.result().get();
      assertThat(result.results()).hasSize(1);
      assertThat(call.get().status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(run.isOpen()).isFalse();
      assertThatThrownBy(() -> run.submit(ToolCall.of("b", ECHO, "y")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("deadline");
    }
  }

  @Test
  void maxConcurrency_ofTheOpenRun_isRespectedAcrossSubmissions() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch twoStarted = new CountDownLatch(2);
    CountDownLatch gate = new CountDownLatch(1);
    Tool<String, String> tool =
        Tools.named("limited")
            .input(String.class)
            .function(
                (in, ctx) -> {
                  peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                  twoStarted.countDown();
                  gate.await();
                  running.decrementAndGet();
                  return in;
                });
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      OpenRun run = executor.open(ExecutionPlan.parallel(List.of()).withMaxConcurrency(2));
      for (int i = 0; i < 6; i++) {
        run.submit(ToolCall.of("c" + i, tool, "in" + i));
      }
      twoStarted.await();
      run.complete();
      gate.countDown();
      RunResult result = run.result().get();
      assertThat(result.allSucceeded()).isTrue();
      assertThat(peak.get()).isEqualTo(2);
    }
  }

  @Test
  void submittedCalls_areRetried_andRecorded() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Tool<String, String> flaky =
        Tools.named("flaky")
            .idempotent(true)
            .input(String.class)
            .function(
                (in, ctx) -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new java.io.IOException("first attempt fails");
                  }
                  return in;
                });
    ConcurrentLinkedQueue<ExecutionRecord> records = new ConcurrentLinkedQueue<>();
    VirtualTime time = new VirtualTime();
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .timeSource(time)
            .retryPolicy(
                RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ofMillis(10)).build())
            .recordSink(records::add)
            .build()) {
      OpenRun run = executor.open();
      var call = run.submit(ToolCall.of("r", flaky, "ok"));
      run.complete();
      while (!call.isDone()) {
        time.advanceToNext(); // the retry's back-off, in virtual time
        Thread.onSpinWait();
      }
      assertThat(call.get().status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(call.get().attempts()).isEqualTo(2);
      run.result().get();
      assertThat(records).extracting(ExecutionRecord::callId).containsExactly("r", "r");
      assertThat(records).extracting(ExecutionRecord::runId).containsOnly(run.id());
    }
  }

  @Test
  void failFast_callsSubmittedAfterTheFailure_endCancelled() throws Exception {
    Tool<String, String> failing =
        Tools.named("failing")
            .input(String.class)
            .function(
                (in, ctx) -> {
                  throw new IllegalStateException("boom");
                });
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      OpenRun run =
          executor.open(ExecutionPlan.parallel(List.of()).withFailureMode(FailureMode.FAIL_FAST));
      assertThat(run.submit(ToolCall.of("bad", failing, "x")).get().status())
          .isEqualTo(CallStatus.FAILED);
      CallResult<?> late = run.submit(ToolCall.of("late", ECHO, "y")).get();
      assertThat(late.status()).isEqualTo(CallStatus.CANCELLED);
      assertThat(late.error()).hasMessageContaining("submitted after the run stopped");
      run.complete();
      assertThat(run.result().get().results()).hasSize(2);
    }
  }

  @Test
  void open_rejectsSequentialPlans_andClosedExecutors() {
    ToolExecutor executor = ToolExecutor.builder().build();
    assertThatThrownBy(() -> executor.open(ExecutionPlan.sequential(List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SEQUENTIAL");
    OpenRun run = executor.open();
    executor.close();
    assertThat(run.isDone()).isTrue(); // closing the executor cancels its open runs
    assertThatThrownBy(executor::open).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void manyThreadsSubmitting_everyCallEndsExactlyOnce() throws Exception {
    int threads = 8;
    int perThread = 200;
    try (ToolExecutor executor = ToolExecutor.builder().maxConcurrency(4).build()) {
      for (int repeat = 0; repeat < 20; repeat++) {
        OpenRun run = executor.open();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> submitters = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          submitters.add(
              Thread.ofVirtual()
                  .start(
                      () -> {
                        try {
                          go.await();
                        } catch (InterruptedException e) {
                          throw new IllegalStateException(e);
                        }
                        for (int i = 0; i < perThread; i++) {
                          run.submit(ToolCall.of(thread + "-" + i, ECHO, "x"));
                        }
                      }));
        }
        go.countDown();
        for (Thread t : submitters) {
          t.join();
        }
        run.complete();
        RunResult result = run.result().get();
        assertThat(result.results()).hasSize(threads * perThread);
        assertThat(result.allSucceeded()).isTrue();
        assertThat(result.results().stream().map(CallResult::callId).distinct().count())
            .isEqualTo(threads * perThread);
      }
      assertThat(executor.activeRuns()).isZero();
    }
  }

  /**
   * Regression: a scheduling policy sizes its queue by the calls it is given when the run opens
   * (the planner's critical path does); an open run's later calls made such a queue throw, and
   * every call failed. Open runs start their calls in submission order instead.
   */
  @Test
  void openRun_withPolicyKnowingOnlyTheCallsAtOpen_stillRunsSubmittedCalls() throws Exception {
    SchedulingPolicy knowsOnlyInitialCalls =
        new SchedulingPolicy() {
          @Override
          public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
            java.util.ArrayDeque<C> queue = new java.util.ArrayDeque<>();
            return new ReadyQueue<>() {
              @Override
              public void add(C call) {
                if (!calls.contains(call)) {
                  throw new IllegalStateException("unknown call " + call.call().id());
                }
                queue.add(call);
              }

              @Override
              public C poll() {
                return queue.poll();
              }
            };
          }
        };
    try (ToolExecutor executor = ToolExecutor.builder().scheduling(knowsOnlyInitialCalls).build()) {
      OpenRun run = executor.open();
      var call = run.submit(ToolCall.of("a", ECHO, "x"));
      run.complete();
      assertThat(call.get().status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(run.result().get().allSucceeded()).isTrue();
    }
  }
}
