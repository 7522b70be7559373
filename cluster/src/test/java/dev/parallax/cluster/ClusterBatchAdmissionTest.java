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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run's burst of calls of a tool takes its permits in two round trips, not one per call: the
 * first call's, then one request (sent without waiting) for the calls refused meanwhile.
 */
class ClusterBatchAdmissionTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void burstOf24Calls_takesItsPermitsInTwoRoundTrips() throws Exception {
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
        // the first call's round trip, then one request for the 23 refused meanwhile
        assertThat(counters.get("granted")).isEqualTo(2);
        assertThat(counters.get("prefetched")).isEqualTo(23);
        assertThat(counters.get("handedOff")).isZero();
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
}
