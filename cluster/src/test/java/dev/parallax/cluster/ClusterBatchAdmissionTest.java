package dev.parallax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run's first burst of calls of a tool takes its permits in batches that double (1, 2, 4, ...),
 * not one round trip per call; permits taken for calls the run does not have are given back at the
 * tool's next release.
 */
class ClusterBatchAdmissionTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void firstBurst_takesPermitsInDoublingBatches_fiveRoundTripsFor24Calls() throws Exception {
    int limit = 24;
    CountDownLatch allStarted = new CountDownLatch(limit);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    Tool<Integer, Integer> search =
        Tools.named("search")
            .idempotent(true)
            .input(Integer.class)
            .function(
                (n, ctx) -> {
                  max.accumulateAndGet(running.incrementAndGet(), Math::max);
                  allStarted.countDown();
                  try {
                    release.await();
                  } finally {
                    running.decrementAndGet();
                  }
                  return n;
                });
    ToolRegistry tools = ToolRegistry.of(search);
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster member = cluster.start(tools, b -> b.toolLimit("search", limit));
      List<ToolCall<?, ?>> calls = new ArrayList<>();
      for (int i = 0; i < limit; i++) {
        calls.add(ToolCall.of("c" + i, search, i));
      }
      try (ToolExecutor executor =
          ToolExecutor.builder()
              .maxConcurrency(4 * limit)
              .admissionControl(member.admissionControl())
              .build()) {
        CompletableFuture<RunResult> run = executor.executeParallelAsync(calls);
        allStarted.await(); // all 24 run at once
        assertThat(member.permitsHeld("search")).isEqualTo(limit);
        Map<String, Long> counters = member.admissionCounters();
        // batches of 1, 2, 4, 8 and the 9 left of the limit: 5 round trips, 19 permits prefetched
        assertThat(counters.get("granted")).isEqualTo(5);
        assertThat(counters.get("prefetched")).isEqualTo(19);
        release.countDown();
        RunResult result = run.get();
        for (ToolCall<?, ?> call : calls) {
          assertThat(result.get(call.id()).status()).isEqualTo(CallStatus.SUCCEEDED);
        }
      }
      assertThat(max.get()).isEqualTo(limit);
      assertThat(member.permitsHeld("search")).isZero();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void permitsTakenBeyondTheRunsCalls_areGivenBackAtTheToolsNextRelease() throws Exception {
    int calls = 5; // batches of 1, 2 and 4 take 7 permits for 5 calls
    Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    CountDownLatch allStarted = new CountDownLatch(calls);
    Tool<Integer, Integer> search =
        Tools.named("search")
            .idempotent(true)
            .input(Integer.class)
            .function(
                (n, ctx) -> {
                  allStarted.countDown();
                  gates.get(ctx.callId()).await();
                  return n;
                });
    ToolRegistry tools = ToolRegistry.of(search);
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster member = cluster.start(tools, b -> b.toolLimit("search", 24));
      List<ToolCall<?, ?>> batch = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        batch.add(ToolCall.of("c" + i, search, i));
        gates.put("c" + i, new CountDownLatch(1));
      }
      try (ToolExecutor executor =
          ToolExecutor.builder()
              .maxConcurrency(16)
              .admissionControl(member.admissionControl())
              .build()) {
        CompletableFuture<RunResult> run = executor.executeParallelAsync(batch);
        allStarted.await();
        assertThat(member.permitsHeld("search")).isEqualTo(7); // 2 taken ahead, never > limit
        gates.get("c0").countDown(); // its release gives back its permit and the 2 spare ones
        while (member.permitsHeld("search") != calls - 1) {
          LockSupport.parkNanos(5_000_000); // the release is the run's event; the timeout bounds it
        }
        gates.values().forEach(CountDownLatch::countDown);
        RunResult result = run.get();
        assertThat(result.get("c4").status()).isEqualTo(CallStatus.SUCCEEDED);
      }
      assertThat(member.permitsHeld("search")).isZero();
    }
  }
}
