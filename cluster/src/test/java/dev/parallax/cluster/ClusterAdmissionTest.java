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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ClusterAdmissionTest {

  /** A tool body that counts how many run at once, across every member of this JVM. */
  static final class Gauge {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();

    Tool<Integer, Integer> tool(String name) {
      return Tools.named(name)
          .idempotent(true)
          .input(Integer.class)
          .function(
              (n, ctx) -> {
                int running = now.incrementAndGet();
                max.accumulateAndGet(running, Math::max);
                runs.incrementAndGet();
                LockSupport.parkNanos(200_000); // the tool's work
                now.decrementAndGet();
                return n;
              });
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void toolLimit_underStressFromThreeMembers_isNeverExceededAcrossMembers() throws Exception {
    Gauge gauge = new Gauge();
    Tool<Integer, Integer> search = gauge.tool("search");
    ToolRegistry tools = ToolRegistry.of(search);
    int limit = 5;
    try (TestMembers cluster = new TestMembers()) {
      List<ParallaxCluster> members = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        members.add(cluster.start(tools, b -> b.toolLimit("search", limit)));
      }
      assertThat(members.get(0).memberCount()).isEqualTo(3);
      List<ToolExecutor> executors = new ArrayList<>();
      List<CompletableFuture<RunResult>> runs = new ArrayList<>();
      for (ParallaxCluster member : members) {
        ToolExecutor executor =
            ToolExecutor.builder()
                .maxConcurrency(32)
                .admissionControl(member.admissionControl())
                .build();
        executors.add(executor);
        for (int run = 0; run < 2; run++) { // several runs per member compete too
          List<ToolCall<?, ?>> calls = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            calls.add(ToolCall.of("c" + run + "-" + i, search, i));
          }
          runs.add(executor.executeParallelAsync(calls));
        }
      }
      for (CompletableFuture<RunResult> run : runs) {
        assertThat(run.get().allSucceeded()).isTrue();
      }
      executors.forEach(ToolExecutor::close);
      assertThat(gauge.runs.get()).isEqualTo(3 * 2 * 40);
      assertThat(gauge.max.get()).isLessThanOrEqualTo(limit).isPositive();
      members.forEach(m -> m.permitsHeld("search")); // each waits for its own releases to land
      assertThat(members.get(1).permitsHeld("search")).isZero();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void memberTerminated_whileHoldingPermits_itsPermitsAreReleasedForTheOthers() throws Exception {
    CountDownLatch holding = new CountDownLatch(2);
    CountDownLatch never = new CountDownLatch(1);
    Tool<Integer, Integer> blocking =
        Tools.named("search")
            .idempotent(true)
            .input(Integer.class)
            .function(
                (n, ctx) -> {
                  holding.countDown();
                  never.await(); // runs until its member dies
                  return n;
                });
    Tool<Integer, Integer> quick =
        Tools.named("search").idempotent(true).input(Integer.class).function((n, ctx) -> n);
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster doomed =
          cluster.start(ToolRegistry.of(blocking), b -> b.toolLimit("search", 2));
      ParallaxCluster survivor =
          cluster.start(ToolRegistry.of(quick), b -> b.toolLimit("search", 2));
      TestMembers.awaitSafe(survivor);
      ToolExecutor onDoomed =
          ToolExecutor.builder().admissionControl(doomed.admissionControl()).build();
      ToolExecutor onSurvivor =
          ToolExecutor.builder().admissionControl(survivor.admissionControl()).build();
      try {
        onDoomed.executeParallelAsync(
            List.of(ToolCall.of("a", blocking, 1), ToolCall.of("b", blocking, 2)));
        holding.await();
        assertThat(survivor.permitsHeld("search")).isEqualTo(2);

        CompletableFuture<RunResult> waiting =
            onSurvivor.executeParallelAsync(List.of(ToolCall.of("c", quick, 3)));
        assertThat(waiting).isNotDone(); // both permits are held by the other member
        doomed.hazelcast().getLifecycleService().terminate(); // a crash: no goodbye

        RunResult result = waiting.get();
        assertThat(result.get("c").status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(survivor.permitsHeld("search")).isZero();
      } finally {
        never.countDown();
        onSurvivor.close();
        onDoomed.close();
      }
    }
  }
}
