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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lanes and named resources held across members: keys {@code lane:NAME} and {@code resource:NAME}
 * in the same permits map as tools, a call starting only when it holds all of them.
 */
class ClusterLanesAndResourcesTest {

  private static final int DB = 3;
  private static final int QUERY_LANE = 4;

  /** What runs at once across every member of this JVM, and the most seen. */
  static final class Usage {
    final AtomicInteger db = new AtomicInteger();
    final AtomicInteger dbMax = new AtomicInteger();
    final AtomicInteger lane = new AtomicInteger();
    final AtomicInteger laneMax = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();

    Tool<Integer, Integer> tool(String name, int dbUnits, boolean inLane, String... capabilities) {
      Tools.Builder b = Tools.named(name).idempotent(true).capabilities(capabilities);
      if (dbUnits > 0) {
        b.resources(Map.of("db", dbUnits));
      }
      return b.input(Integer.class)
          .function(
              (n, ctx) -> {
                dbMax.accumulateAndGet(db.addAndGet(dbUnits), Math::max);
                if (inLane) {
                  laneMax.accumulateAndGet(lane.incrementAndGet(), Math::max);
                }
                runs.incrementAndGet();
                LockSupport.parkNanos(200_000); // the tool's work
                if (inLane) {
                  lane.decrementAndGet();
                }
                db.addAndGet(-dbUnits);
                return n;
              });
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void laneAndResourceLimits_underStressFromThreeMembers_areNeverExceededAcrossMembers()
      throws Exception {
    Usage usage = new Usage();
    Tool<Integer, Integer> sql = usage.tool("sql", 1, true); // lane by tool name
    Tool<Integer, Integer> report = usage.tool("report", 2, false); // two units of db
    Tool<Integer, Integer> search = usage.tool("search", 0, true, "lookup"); // lane by capability
    ToolRegistry tools = ToolRegistry.of(sql, report, search);
    List<Tool<Integer, Integer>> mix = List.of(sql, report, search);
    try (TestMembers cluster = new TestMembers()) {
      List<ParallaxCluster> members = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        members.add(
            cluster.start(
                tools,
                b ->
                    b.resourceLimit("db", DB)
                        .laneLimit("query", QUERY_LANE)
                        .toolLane("sql", "query")
                        .capabilityLane("lookup", "query")));
      }
      TestMembers.awaitSafe(members.get(0));
      int perRun = 45;
      for (int round = 0; round < 3; round++) { // repetitions
        List<ToolExecutor> executors = new ArrayList<>();
        List<CompletableFuture<RunResult>> runs = new ArrayList<>();
        for (ParallaxCluster member : members) {
          ToolExecutor executor =
              ToolExecutor.builder()
                  .maxConcurrency(16)
                  .admissionControl(member.admissionControl())
                  .build();
          executors.add(executor);
          for (int run = 0; run < 2; run++) { // several runs per member compete too
            List<ToolCall<?, ?>> calls = new ArrayList<>();
            for (int i = 0; i < perRun; i++) {
              calls.add(ToolCall.of("c" + run + "-" + i, mix.get(i % 3), i));
            }
            runs.add(executor.executeParallelAsync(calls));
          }
        }
        for (CompletableFuture<RunResult> run : runs) {
          RunResult result = run.get();
          assertThat(result.allSucceeded()).as(result.report().toString()).isTrue();
        }
        executors.forEach(ToolExecutor::close);
      }
      assertThat(usage.runs.get()).isEqualTo(3 * 3 * 2 * perRun);
      assertThat(usage.dbMax.get()).isLessThanOrEqualTo(DB).isGreaterThanOrEqualTo(2);
      assertThat(usage.laneMax.get()).isLessThanOrEqualTo(QUERY_LANE).isPositive();
      members.forEach(m -> m.laneHeld("query")); // each waits for its own releases to land
      for (ParallaxCluster member : members) {
        assertThat(member.resourceHeld("db")).isZero();
        assertThat(member.laneHeld("query")).isZero();
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void callNeedingMoreThanAResourcesCapacity_failsClearly_andHoldsNothing() {
    Tool<Integer, Integer> greedy =
        Tools.named("greedy")
            .idempotent(true)
            .resources(Map.of("gpu", 3))
            .input(Integer.class)
            .function((n, ctx) -> n);
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster member =
          cluster.start(ToolRegistry.of(greedy), b -> b.resourceLimit("gpu", 2));
      try (ToolExecutor executor =
          ToolExecutor.builder().admissionControl(member.admissionControl()).build()) {
        RunResult result = executor.executeParallel(List.of(ToolCall.of("g", greedy, 1)));
        assertThat(result.get("g").status()).isEqualTo(CallStatus.FAILED);
        assertThat(String.valueOf(result.get("g").error()))
            .contains("greedy")
            .contains("gpu")
            .contains("capacity is 2");
      }
      assertThat(member.resourceHeld("gpu")).isZero();
    }
  }
}
