package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.testing.RecordingListener;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Many runs at once from many threads, with failures, retries and cancellations mixed in: the
 * concurrency limits are never exceeded and every call ends exactly once.
 */
class StressTest {

  private static final int RUN_LIMIT = 4;
  private static final int TOOL_LIMIT = 2;

  /** Tracks how many calls of one run (or of one tool in a run) are inside the tool at once. */
  static final class Gauge {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    void enter() {
      max.accumulateAndGet(now.incrementAndGet(), Math::max);
    }

    void exit() {
      now.decrementAndGet();
    }
  }

  record Input(Gauge run, Gauge tool, int behaviour) {}

  @RepeatedTest(5)
  void manyConcurrentRuns_neverExceedTheirLimits_andEveryCallEndsExactlyOnce() {
    RecordingListener events = new RecordingListener();
    Tool<Input, Integer> work = tool("work", true);
    Tool<Input, Integer> limited = tool("limited", true);
    Tool<Input, Integer> exclusive = tool("exclusive", false);
    int runs = 40;
    int callsPerRun = 30;
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .maxConcurrency(RUN_LIMIT)
            .toolConcurrency("limited", TOOL_LIMIT)
            .retryPolicy(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ZERO).build())
            .listener(events)
            .build()) {
      List<Gauge> runGauges = new ArrayList<>();
      List<Gauge> limitedGauges = new ArrayList<>();
      List<Gauge> exclusiveGauges = new ArrayList<>();
      List<CompletableFuture<RunResult>> futures = new ArrayList<>();
      List<ToolRun> toCancel = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        Gauge runGauge = new Gauge();
        Gauge limitedGauge = new Gauge();
        Gauge exclusiveGauge = new Gauge();
        runGauges.add(runGauge);
        limitedGauges.add(limitedGauge);
        exclusiveGauges.add(exclusiveGauge);
        List<ToolCall<?, ?>> calls = new ArrayList<>();
        for (int c = 0; c < callsPerRun; c++) {
          int behaviour = ThreadLocalRandom.current().nextInt(10);
          Tool<Input, Integer> tool = c % 3 == 0 ? work : c % 3 == 1 ? limited : exclusive;
          Gauge toolGauge =
              tool == limited ? limitedGauge : tool == exclusive ? exclusiveGauge : new Gauge();
          calls.add(
              ToolCall.of("r" + r + "-c" + c, tool, new Input(runGauge, toolGauge, behaviour)));
        }
        ToolRun run = executor.start(ExecutionPlan.parallel(calls));
        futures.add(run.result());
        if (r % 7 == 3) {
          toCancel.add(run);
        }
      }
      toCancel.forEach(ToolRun::cancel);
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

      assertThat(runGauges).allSatisfy(g -> assertThat(g.max.get()).isLessThanOrEqualTo(RUN_LIMIT));
      assertThat(limitedGauges)
          .allSatisfy(g -> assertThat(g.max.get()).isLessThanOrEqualTo(TOOL_LIMIT));
      assertThat(exclusiveGauges).allSatisfy(g -> assertThat(g.max.get()).isLessThanOrEqualTo(1));
      assertThat(events.finishedPerCall()).hasSize(runs * callsPerRun);
      assertThat(events.finishedPerCall().values()).allSatisfy(n -> assertThat(n).hasValue(1));
      for (CompletableFuture<RunResult> future : futures) {
        RunResult result = future.join();
        assertThat(result.results()).hasSize(callsPerRun);
        int total = 0;
        for (CallStatus status : CallStatus.values()) {
          total += result.report().count(status);
        }
        assertThat(total).isEqualTo(callsPerRun);
      }
      assertThat(executor.activeRuns()).isZero();
    }
  }

  @Test
  void oneRunFromManyThreads_cancelRacingCompletion_endsEveryCallOnce() throws Exception {
    for (int repetition = 0; repetition < 50; repetition++) {
      RecordingListener events = new RecordingListener();
      Tool<Input, Integer> work = tool("work", true);
      try (ToolExecutor executor =
          ToolExecutor.builder().maxConcurrency(8).listener(events).build()) {
        List<ToolCall<?, ?>> calls = new ArrayList<>();
        Gauge gauge = new Gauge();
        for (int c = 0; c < 64; c++) {
          calls.add(ToolCall.of("c" + c, work, new Input(gauge, new Gauge(), 0)));
        }
        ToolRun run = executor.start(ExecutionPlan.parallel(calls));
        Thread canceller = Thread.ofVirtual().start(run::cancel);
        RunResult result = run.result().join();
        canceller.join();
        assertThat(result.results()).hasSize(64);
        assertThat(gauge.max.get()).isLessThanOrEqualTo(8);
        assertThat(events.finishedPerCall()).hasSize(64);
        assertThat(events.finishedPerCall().values()).allSatisfy(n -> assertThat(n).hasValue(1));
      }
    }
  }

  /** Behaviour 0-6 succeeds, 7-8 fails once then succeeds (retried), 9 fails for good. */
  private static Tool<Input, Integer> tool(String name, boolean concurrencySafe) {
    return Tools.named(name)
        .idempotent(true)
        .concurrencySafe(concurrencySafe)
        .input(Input.class)
        .function(
            (in, ctx) -> {
              in.run().enter();
              in.tool().enter();
              try {
                Thread.yield();
                if (in.behaviour() == 9 || (in.behaviour() >= 7 && ctx.attempt() == 1)) {
                  throw new IllegalStateException("planned failure");
                }
                return in.behaviour();
              } finally {
                in.tool().exit();
                in.run().exit();
              }
            });
  }
}
