package dev.parallax.core.hedge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hedges on real threads, many at once: the tool's limit is never exceeded within a run (a hedge
 * and a given-up loser hold slots), every call ends once, and every body the engine started
 * returns. The limit is per run ({@code toolConcurrency}): a loser given up as its run ends may
 * still be returning while the next run starts, so the tool counts each run's bodies apart.
 */
@Timeout(120)
class HedgingStressTest {

  private static final int LIMIT = 4;
  private static final int REPEATS = 30;
  private static final int CALLS = 40;

  /** Works 0-3 ms (its work is the sleep); counts how many of one run's calls run at once. */
  private static final class Busy implements Tool<Integer, Integer> {
    final AtomicInteger[] running = new AtomicInteger[REPEATS];
    final AtomicInteger peak = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    final Semaphore ended = new Semaphore(0);

    @Override
    public ToolSpec spec() {
      return ToolSpec.builder("busy").description("busy").idempotent(true).build();
    }

    @Override
    public Integer call(Integer input, ToolContext context) throws InterruptedException {
      started.incrementAndGet();
      AtomicInteger ofItsRun = running[input / CALLS];
      peak.accumulateAndGet(ofItsRun.incrementAndGet(), Math::max);
      try {
        Thread.sleep(Duration.ofNanos(1000L * ThreadLocalRandom.current().nextInt(3000)));
        return input;
      } finally {
        ofItsRun.decrementAndGet();
        ended.release();
      }
    }
  }

  @Test
  void manyHedgedCalls_limitHeld_everyCallEndsOnce_noBodyLeftBehind() throws Exception {
    Busy tool = new Busy();
    Arrays.setAll(tool.running, r -> new AtomicInteger());
    long hedges;
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .maxConcurrency(64)
            .toolConcurrency("busy", LIMIT)
            .hedging(HedgePolicy.builder().budget(1).fixedDelay(Duration.ofMillis(1)).build())
            .build()) {
      for (int repeat = 0; repeat < REPEATS; repeat++) {
        List<ToolCall<?, ?>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
          calls.add(ToolCall.of("c" + i, tool, repeat * CALLS + i));
        }
        RunResult run = executor.execute(ExecutionPlan.parallel(calls));
        assertThat(run.results()).hasSize(CALLS);
        for (int i = 0; i < CALLS; i++) {
          CallResult<?> r = run.results().get(i);
          assertThat(r.isSuccess()).as("call %s: %s", r.callId(), r.error()).isTrue();
          assertThat(r.value()).isEqualTo(repeat * CALLS + i);
        }
      }
      hedges = executor.hedgesStarted();
      assertThat(executor.activeRuns()).isZero();
    }
    assertThat(tool.ended.tryAcquire(tool.started.get(), 30, TimeUnit.SECONDS))
        .as("every body started has returned")
        .isTrue();
    assertThat(tool.peak.get()).as("most bodies of one run at once").isLessThanOrEqualTo(LIMIT);
    assertThat(hedges).as("the delay is short: calls were hedged").isPositive();
    // a hedge (or a first attempt) cancelled before its body began never calls the tool
    assertThat(tool.started.get()).isBetween(REPEATS * CALLS, REPEATS * CALLS + (int) hedges);
  }
}
