package dev.parallax.core.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.testing.RecordingListener;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A limit protects a downstream, so it counts a tool's body until the body really returns — also
 * when the call was already reported {@code TIMED_OUT} or {@code CANCELLED} because the tool
 * ignores interrupts (as goagent's semaphore and Resilience4j's bulkhead do). Real threads for the
 * tools, virtual time for the timeouts; waiting by latches and by the events the run recorded.
 */
class TimeoutSlotTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  /** Bodies that ignore interrupts and return only when their input's permit is released. */
  static final class Stubborn {
    final Map<String, Semaphore> gates = new ConcurrentHashMap<>();
    final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();

    Tool<String, String> tool(String name, boolean concurrencySafe) {
      return Tools.named(name)
          .idempotent(true)
          .concurrencySafe(concurrencySafe)
          .input(String.class)
          .function(
              (in, ctx) -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                  entered(in).countDown();
                  gate(in).acquireUninterruptibly(); // ignores interrupts, like a bad tool
                  return in;
                } finally {
                  running.decrementAndGet();
                }
              });
    }

    Semaphore gate(String in) {
      return gates.computeIfAbsent(in, k -> new Semaphore(0));
    }

    CountDownLatch entered(String in) {
      return entered.computeIfAbsent(in, k -> new CountDownLatch(1));
    }

    void awaitEntered(String in) throws InterruptedException {
      assertThat(entered(in).await(BOUND.toSeconds(), TimeUnit.SECONDS))
          .as(in + " entered")
          .isTrue();
    }
  }

  // Regression: a tool declared concurrencySafe(false) ran twice at once when a timed-out attempt
  // kept running and its retry started.
  @Test
  void timedOutAttempt_ofAToolNotConcurrencySafe_keepsItsSlot_soItsRetryWaitsForTheBody()
      throws Exception {
    Stubborn stubborn = new Stubborn();
    Tool<String, String> unsafe = stubborn.tool("unsafe", false);
    runInVirtualTime(
        b ->
            b.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ZERO).build()),
        (time, executor, events) -> {
          ToolRun run =
              executor.start(ExecutionPlan.parallel(List.of(ToolCall.of("a", unsafe, "a"))));
          stubborn.awaitEntered("a");

          time.advance(Duration.ofSeconds(1)); // attempt 1 times out; its body goes on

          assertThat(events.eventsOf("a"))
              .as("the retry is due but the body still holds the tool's only slot")
              .containsExactly("queued a", "started#1 a", "attempt-failed#1 a", "retry#2@0ms a");
          assertThat(run.isDone()).isFalse();

          stubborn.gate("a").release(2); // the first body returns, then the retry's
          RunResult result = run.result().get(BOUND.toSeconds(), TimeUnit.SECONDS);

          assertThat(result.get("a").status()).isEqualTo(CallStatus.SUCCEEDED);
          assertThat(result.get("a").attempts()).isEqualTo(2);
          assertThat(stubborn.maxRunning).as("never two bodies at once").hasValue(1);
        });
  }

  // Regression: per-run limits were exceeded (6 of 5) when timed-out attempts kept running.
  @Test
  void timedOutAttempts_keepCountingAgainstMaxConcurrency_whileTheirCallsAreReportedOnTime()
      throws Exception {
    Stubborn stubborn = new Stubborn();
    Tool<String, String> tool = stubborn.tool("slow", true);
    List<ToolCall<?, ?>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(ToolCall.of("c" + i, tool, "c" + i));
    }
    runInVirtualTime(
        b -> b.maxConcurrency(5),
        (time, executor, events) -> {
          ToolRun run = executor.start(ExecutionPlan.parallel(calls));
          for (int i = 0; i < 5; i++) {
            stubborn.awaitEntered("c" + i);
          }

          time.advance(Duration.ofSeconds(1)); // the five time out; their bodies go on

          assertThat(events.eventsOf("c0")).contains("timed_out c0");
          assertThat(events.eventsOf("c5"))
              .as("the sixth waits: five bodies still hold the run's five slots")
              .containsExactly("queued c5");

          stubborn.gate("c0").release(); // one body returns: one slot frees
          stubborn.awaitEntered("c5");
          assertThat(stubborn.maxRunning).hasValue(5);

          for (int i = 1; i < 6; i++) {
            stubborn.gate("c" + i).release();
          }
          time.advance(Duration.ofSeconds(1));
          RunResult result = run.result().get(BOUND.toSeconds(), TimeUnit.SECONDS);
          assertThat(result.get("c0").status()).isEqualTo(CallStatus.TIMED_OUT);
          assertThat(stubborn.maxRunning).as("never more than maxConcurrency bodies").hasValue(5);
        });
  }

  // Regression: a tool limited to 2 ran 4 bodies at once after timeouts.
  @Test
  void cancelledRun_returnsAtOnce_butItsBodiesKeepTheToolLimitOfTheNextRun_onlyWithinTheirRun()
      throws Exception {
    Stubborn stubborn = new Stubborn();
    Tool<String, String> limited = stubborn.tool("limited", true);
    runInVirtualTime(
        b -> b.toolConcurrency("limited", 2),
        (time, executor, events) -> {
          ToolRun run =
              executor.start(
                  ExecutionPlan.parallel(
                      List.of(
                          ToolCall.of("a", limited, "a"),
                          ToolCall.of("b", limited, "b"),
                          ToolCall.of("c", limited, "c"))));
          stubborn.awaitEntered("a");
          stubborn.awaitEntered("b");

          time.advance(Duration.ofSeconds(1)); // a and b time out, their bodies keep running

          assertThat(events.eventsOf("c"))
              .as("c waits for a slot of the tool, held by the stubborn bodies")
              .containsExactly("queued c");

          assertThat(run.cancel()).isTrue(); // returns at once although two bodies still run
          assertThat(run.result().join().get("c").status()).isEqualTo(CallStatus.CANCELLED);

          stubborn.gate("a").release();
          stubborn.gate("b").release();
          assertThat(stubborn.maxRunning).as("never more than the tool's limit").hasValue(2);
        });
  }

  /**
   * Many runs, many threads: tools that ignore interrupts, real time-outs that fire while bodies
   * still run, retries. Counted per run, no tool ever runs more bodies than its limit (2), a tool
   * that is not concurrency-safe never more than one, and a run never more than its maxConcurrency
   * (5); every call ends exactly once.
   */
  @RepeatedTest(5)
  void stress_timeoutsAndRetries_neverExceedAnyLimit() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          try (ToolExecutor executor =
              ToolExecutor.builder()
                  .maxConcurrency(5)
                  .toolConcurrency("limited", 2)
                  .attemptTimeout(Duration.ofNanos(200_000))
                  .retryPolicy(
                      RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).build())
                  .build()) {
            List<Thread> callers = new ArrayList<>();
            List<int[]> maxima = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
              int[] max = new int[3];
              maxima.add(max);
              callers.add(Thread.ofPlatform().start(() -> stressRun(executor, max)));
            }
            for (Thread caller : callers) {
              caller.join();
            }
            for (int[] max : maxima) {
              assertThat(max[0]).as("bodies of the limited tool at once").isLessThanOrEqualTo(2);
              assertThat(max[1]).as("bodies of the unsafe tool at once").isLessThanOrEqualTo(1);
              assertThat(max[2]).as("bodies of one run at once").isLessThanOrEqualTo(5);
            }
          }
        });
  }

  private static void stressRun(ToolExecutor executor, int[] max) {
    AtomicInteger limitedNow = new AtomicInteger();
    AtomicInteger unsafeNow = new AtomicInteger();
    AtomicInteger runNow = new AtomicInteger();
    int[] seen = new int[3];
    Tool<Integer, Integer> limited = spinning("limited", true, limitedNow, runNow, seen, 0);
    Tool<Integer, Integer> unsafe = spinning("unsafe", false, unsafeNow, runNow, seen, 1);
    Tool<Integer, Integer> free = spinning("free", true, new AtomicInteger(), runNow, seen, -1);
    for (int repeat = 0; repeat < 10; repeat++) {
      List<ToolCall<?, ?>> calls = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        Tool<Integer, Integer> tool = i % 3 == 0 ? limited : i % 3 == 1 ? unsafe : free;
        calls.add(ToolCall.of("c" + i, tool, i));
      }
      RunResult result = executor.executeParallel(calls);
      assertThat(result.results()).hasSize(30).allSatisfy(r -> assertThat(r).isNotNull());
      // wait for the stragglers of this run before the next one reuses the counters
      while (runNow.get() > 0) {
        Thread.onSpinWait();
      }
    }
    synchronized (max) {
      max[0] = seen[0];
      max[1] = seen[1];
      max[2] = seen[2];
    }
  }

  /** A body that spins for 0–600 µs, ignoring interrupts, counting how many run at once. */
  private static Tool<Integer, Integer> spinning(
      String name,
      boolean concurrencySafe,
      AtomicInteger toolNow,
      AtomicInteger runNow,
      int[] seen,
      int slot) {
    return Tools.named(name)
        .idempotent(true)
        .concurrencySafe(concurrencySafe)
        .input(Integer.class)
        .function(
            (in, ctx) -> {
              int t = toolNow.incrementAndGet();
              int r = runNow.incrementAndGet();
              synchronized (seen) {
                if (slot >= 0) {
                  seen[slot] = Math.max(seen[slot], t);
                }
                seen[2] = Math.max(seen[2], r);
              }
              try {
                long until = System.nanoTime() + (in * 7919L % 600) * 1_000;
                while (System.nanoTime() < until) {
                  LockSupport.parkNanos(50_000); // interrupts only end this park: ignored
                }
                return in;
              } finally {
                runNow.decrementAndGet();
                toolNow.decrementAndGet();
              }
            });
  }

  interface Scenario {
    void run(VirtualTime time, ToolExecutor executor, RecordingListener events) throws Exception;
  }

  private static void runInVirtualTime(UnaryOperator<ToolExecutor.Builder> options, Scenario s) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          VirtualTime time = new VirtualTime();
          RecordingListener events = new RecordingListener();
          try (ToolExecutor executor =
              options
                  .apply(
                      ToolExecutor.builder()
                          .timeSource(time)
                          .listener(events)
                          .attemptTimeout(Duration.ofSeconds(1)))
                  .build()) {
            s.run(time, executor, events);
          }
        });
  }
}
