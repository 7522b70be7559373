package dev.parallax.planner.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Named resources and lanes across runs, in virtual time through the executor. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedResourcesTest {

  static SimTool tool(String name, long millis, Map<String, Integer> resources) {
    ToolSpec spec = ToolSpec.builder(name).idempotent(true).resources(resources).build();
    return new SimTool(spec, (in, attempt) -> SimTool.Step.ok(millis, name + ":" + in));
  }

  @Test
  void resources_neverOverAllocated_andCrossedDemandsNeverDeadlock() {
    // a:1+b:1 and b:1+a:1 (the classic lock-order deadlock), a:2 and b:2 (take all), c:1
    List<SimTool> tools =
        List.of(
            tool("ab", 7, Map.of("a", 1, "b", 1)),
            tool("ba", 5, Map.of("b", 1, "a", 1)),
            tool("aa", 11, Map.of("a", 2)),
            tool("bb", 3, Map.of("b", 2)),
            tool("c", 2, Map.of("c", 1)),
            tool("free", 4, Map.of()));
    SharedSim sim = new SharedSim(b -> b.capacity(5).resource("a", 2).resource("b", 2));
    Random random = new Random(42);
    List<ToolRun> runs = new ArrayList<>();
    for (int r = 0; r < 40; r++) {
      List<ToolCall<?, ?>> calls = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        calls.add(ToolCall.of("r" + r + "-" + i, tools.get(random.nextInt(tools.size())), i));
      }
      ExecutionPlan plan = ExecutionPlan.parallel(calls).withPriority(random.nextInt(3));
      sim.time.schedule(Duration.ofMillis(random.nextInt(200)), () -> runs.add(sim.start(plan)));
    }
    sim.time.runUntilIdle();
    assertThat(runs).hasSize(40).allMatch(ToolRun::isDone);
    for (ToolRun run : runs) {
      assertThat(run.result().join().results()).allMatch(r -> r.status() == CallStatus.SUCCEEDED);
    }
    assertThat(sim.peakOf("*")).isLessThanOrEqualTo(5);
    assertThat(sim.peakOf("a")).isEqualTo(2); // used to the full, never beyond
    assertThat(sim.peakOf("b")).isEqualTo(2);
    assertThat(sim.attemptsEnded.get()).isEqualTo(40 * 25);
    SchedulerStats stats = sim.shared.stats();
    assertThat(stats.overAllocations()).isZero();
    assertThat(stats.inUse()).isZero();
    assertThat(stats.resourcesInUse()).containsEntry("a", 0).containsEntry("b", 0);
    assertThat(stats.waitingCalls()).isZero();
  }

  @Test
  void aCallNeedingAllOfAResource_isNotStarvedByAStreamOfSmallerOnes() {
    SimTool small = tool("small", 10, Map.of("gpu", 1));
    SimTool big = tool("big", 10, Map.of("gpu", 2));
    SharedSim sim = new SharedSim(b -> b.capacity(8).resource("gpu", 2));
    List<ToolCall<?, ?>> smalls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      smalls.add(ToolCall.of("s" + i, small, i));
    }
    ToolRun stream = sim.start(ExecutionPlan.parallel(smalls)); // same priority: they take turns
    sim.time.advance(Duration.ofMillis(3));
    ToolRun bigRun = sim.start(ExecutionPlan.parallel(List.of(ToolCall.of("big", big, 0))));
    RunResult result = sim.finish(bigRun);
    // at 10 ms the stream, last served at 0 ms, before the big run began
    // waiting at 3 ms, takes one freed unit; then the big call claims gpu and the stream's calls
    // wait behind it, so it starts when that one call ends, never after the 200
    assertThat(sim.millisFromStart(result.results().get(0).startedAt())).isEqualTo(20);
    assertThat(sim.finish(stream).results()).allMatch(r -> r.status() == CallStatus.SUCCEEDED);
    assertThat(sim.peakOf("gpu")).isEqualTo(2);
  }

  @Test
  void aDemandAboveTheResourcesCapacity_failsAtOnce_namingTheAdmissionSeam() {
    SharedSim sim = new SharedSim(b -> b.resource("gpu", 2));
    RunResult result =
        sim.finish(
            sim.start(
                ExecutionPlan.parallel(
                    List.of(ToolCall.of("x", tool("huge", 5, Map.of("gpu", 3)), 0)))));
    CallResult<?> x = result.results().get(0);
    assertThat(x.status()).isEqualTo(CallStatus.FAILED);
    assertThat(x.error()).isInstanceOf(SeamFailureException.class);
    assertThat(x.error().getCause()).hasMessageContaining("'gpu'").hasMessageContaining("never");
  }

  @Test
  void resourcesNotLimitedByTheScheduler_areIgnored() {
    SharedSim sim = new SharedSim(b -> b.capacity(4));
    List<ToolCall<?, ?>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(ToolCall.of("x" + i, tool("t", 10, Map.of("unknown", 1)), i));
    }
    RunResult result = sim.finish(sim.start(ExecutionPlan.parallel(calls)));
    assertThat(result.report().elapsed()).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void lanes_reservedMinimum_letsOneClassThroughAFloodOfAnother() {
    SimTool generate = tool("generate", 50, Map.of());
    SimTool query = tool("query", 5, Map.of());
    SharedSim sim =
        new SharedSim(
            b ->
                b.capacity(6)
                    .lane("query", 2, 6)
                    .lane("generate", 0, 6)
                    .toolLane("query", "query")
                    .toolLane("generate", "generate"));
    List<ToolCall<?, ?>> flood = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      flood.add(ToolCall.of("g" + i, generate, i));
    }
    // the flood comes first and has the higher priority, yet two slots stay for queries
    ToolRun floodRun = sim.start(ExecutionPlan.parallel(flood).withPriority(10));
    sim.time.advance(Duration.ofMillis(1));
    List<ToolCall<?, ?>> queries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queries.add(ToolCall.of("q" + i, query, i));
    }
    RunResult q = sim.finish(sim.start(ExecutionPlan.parallel(queries)));
    assertThat(q.results())
        .allSatisfy(r -> assertThat(sim.millisFromStart(r.finishedAt())).isLessThanOrEqualTo(11));
    assertThat(sim.shared.stats().lanePeaks()).containsEntry("generate", 4);
    assertThat(sim.finish(floodRun).results()).allMatch(r -> r.status() == CallStatus.SUCCEEDED);
  }

  @Test
  void laneMax_isDrivenByAnAdaptiveLimit_fedWithTheLanesSamples() {
    AtomicInteger limit = new AtomicInteger(3);
    AtomicInteger samples = new AtomicInteger();
    LaneLimit adaptive =
        LaneLimit.of(
            limit::get,
            (latency, inFlight, failed) -> {
              samples.incrementAndGet();
              assertThat(inFlight).isBetween(1, 3);
              if (samples.get() == 6) {
                limit.set(1); // the limit drops: the lane narrows from the next start on
              }
            });
    SimTool api = tool("api", 10, Map.of());
    SharedSim sim =
        new SharedSim(b -> b.capacity(16).lane("api", 0, adaptive).toolLane("api", "api"));
    List<ToolCall<?, ?>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(ToolCall.of("a" + i, api, i));
    }
    RunResult result = sim.finish(sim.start(ExecutionPlan.parallel(calls)));
    assertThat(samples.get()).isEqualTo(12);
    assertThat(sim.peakOf("*")).isEqualTo(3);
    // 3 at 0 ms, 3 at 10 ms; at 20 ms the first two ends start two more before the sixth sample
    // drops the limit to 1; from then on one at a time: 20 + 10 + 4 x 10 ms
    assertThat(result.report().elapsed()).isEqualTo(Duration.ofMillis(70));
  }
}
