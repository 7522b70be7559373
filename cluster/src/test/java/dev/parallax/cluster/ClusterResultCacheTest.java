package dev.parallax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.EntryView;
import com.hazelcast.map.IMap;
import dev.parallax.cluster.internal.Names;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ClusterResultCacheTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void identicalCall_inFlightOnAnotherMember_isAwaitedNotRunTwice() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Tool<String, String> search =
        Tools.named("search")
            .idempotent(true)
            .cacheable(true)
            .input(String.class)
            .function(
                (q, ctx) -> {
                  runs.incrementAndGet();
                  started.countDown();
                  release.await();
                  return "result of " + q;
                });
    ToolRegistry tools = ToolRegistry.of(search);
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster a = cluster.start(tools);
      ParallaxCluster b = cluster.start(tools);
      ParallaxCluster c = cluster.start(tools);
      try (ToolExecutor onA = executor(a);
          ToolExecutor onB = executor(b);
          ToolExecutor onC = executor(c)) {
        CompletableFuture<RunResult> first =
            onA.executeParallelAsync(List.of(ToolCall.of("1", search, "q")));
        started.await();
        CompletableFuture<RunResult> second =
            onB.executeParallelAsync(List.of(ToolCall.of("2", search, "q")));
        CompletableFuture<RunResult> third =
            onC.executeParallelAsync(List.of(ToolCall.of("3", search, "q")));
        // both others wait for A's computation (polled: no event says a lookup is waiting)
        while (b.cacheCounters().get("waits") < 1 || c.cacheCounters().get("waits") < 1) {
          if (Thread.interrupted()) { // the test's timeout: fail instead of polling on
            throw new AssertionError("interrupted while waiting");
          }
          LockSupport.parkNanos(5_000_000);
        }
        release.countDown();

        CallResult<?> r1 = first.get().get("1");
        CallResult<?> r2 = second.get().get("2");
        CallResult<?> r3 = third.get().get("3");
        assertThat(List.of(r1.value(), r2.value(), r3.value())).containsOnly("result of q");
        assertThat(runs).hasValue(1);
        assertThat(r1.cacheHit()).isFalse();
        assertThat(r2.cacheHit()).isTrue();
        assertThat(r3.cacheHit()).isTrue();
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void cachedValue_hasItsToolsTtl_andRepeatedHitsAreServedByTheNearCache() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Tool<String, String> weather =
        Tools.named("weather")
            .idempotent(true)
            .cacheable(true)
            .input(String.class)
            .function((city, ctx) -> city + ": " + runs.incrementAndGet());
    ToolRegistry tools = ToolRegistry.of(weather);
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster a = cluster.start(tools, o -> o.cacheTtl("weather", Duration.ofSeconds(90)));
      ParallaxCluster b = cluster.start(tools, o -> o.cacheTtl("weather", Duration.ofSeconds(90)));
      try (ToolExecutor onA = executor(a);
          ToolExecutor onB = executor(b)) {
        assertThat(onA.executeParallel(List.of(ToolCall.of("1", weather, "Oslo"))).allSucceeded())
            .isTrue();
        for (int i = 0; i < 5; i++) {
          RunResult hit = onB.executeParallel(List.of(ToolCall.of("h" + i, weather, "Oslo")));
          assertThat(hit.get("h" + i).value()).isEqualTo("Oslo: 1");
          assertThat(hit.get("h" + i).cacheHit()).isTrue();
        }
        assertThat(runs).hasValue(1);

        IMap<String, Object> map = b.hazelcast().getMap(Names.CACHE);
        String key = map.keySet().iterator().next();
        EntryView<String, Object> entry = map.getEntryView(key);
        assertThat(entry.getTtl()).isEqualTo(Duration.ofSeconds(90).toMillis());
        // the key is owned by one of the two members; the other reads through its near cache
        ParallaxCluster reader =
            a.hazelcast().getPartitionService().getPartition(key).getOwner().localMember() ? b : a;
        ToolExecutor onReader = reader == a ? onA : onB;
        for (int i = 0; i < 3; i++) {
          onReader.executeParallel(List.of(ToolCall.of("n" + i, weather, "Oslo")));
        }
        assertThat(
                reader
                    .hazelcast()
                    .getMap(Names.CACHE)
                    .getLocalMapStats()
                    .getNearCacheStats()
                    .getHits())
            .isPositive();
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void memberDies_whileComputing_aWaiterOnAnotherMemberComputesInstead() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Tool<String, String> onDoomed =
        Tools.named("search")
            .idempotent(true)
            .cacheable(true)
            .input(String.class)
            .function(
                (q, ctx) -> {
                  started.countDown();
                  never.await(); // runs until its member dies
                  return "never";
                });
    Tool<String, String> onSurvivor =
        Tools.named("search")
            .idempotent(true)
            .cacheable(true)
            .input(String.class)
            .function((q, ctx) -> "survivor's " + q);
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster doomed = cluster.start(ToolRegistry.of(onDoomed));
      ParallaxCluster survivor = cluster.start(ToolRegistry.of(onSurvivor));
      TestMembers.awaitSafe(survivor);
      ToolExecutor a = executor(doomed);
      try (ToolExecutor b = executor(survivor)) {
        a.executeParallelAsync(List.of(ToolCall.of("1", onDoomed, "q")));
        started.await();
        CompletableFuture<RunResult> waiting =
            b.executeParallelAsync(List.of(ToolCall.of("2", onSurvivor, "q")));
        while (survivor.cacheCounters().get("waits") < 1) {
          if (Thread.interrupted()) { // the test's timeout: fail instead of polling on
            throw new AssertionError("interrupted while waiting");
          }
          LockSupport.parkNanos(5_000_000);
        }
        doomed.hazelcast().getLifecycleService().terminate(); // its claim goes with it

        CallResult<?> r = waiting.get().get("2");
        assertThat(r.value()).isEqualTo("survivor's q");
        assertThat(r.cacheHit()).isFalse();
        assertThat(survivor.cacheCounters().get("misses")).isEqualTo(1);
      } finally {
        never.countDown();
        a.close();
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void toolNotIdempotent_isNeverServedFromTheSharedCache() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Tool<String, Integer> send =
        Tools.named("send")
            .cacheable(true) // but not idempotent
            .input(String.class)
            .function((to, ctx) -> runs.incrementAndGet());
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster a = cluster.start(ToolRegistry.of(send));
      try (ToolExecutor onA = executor(a)) {
        onA.executeParallel(List.of(ToolCall.of("1", send, "x"), ToolCall.of("2", send, "x")));
      }
      assertThat(runs).hasValue(2);
      assertThat(a.cacheCounters().get("uncacheable")).isEqualTo(2);
    }
  }

  private static ToolExecutor executor(ParallaxCluster member) {
    return ToolExecutor.builder().resultCache(member.resultCache()).build();
  }
}
