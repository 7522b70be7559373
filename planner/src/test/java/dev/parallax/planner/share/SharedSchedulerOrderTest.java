package dev.parallax.planner.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.testing.SimTool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Priorities, round-robin among equals, aging and FIFO, in virtual time through the executor. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedSchedulerOrderTest {

  private static List<ToolCall<?, ?>> calls(String prefix, SimTool tool, int n) {
    List<ToolCall<?, ?>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(ToolCall.of(prefix + i, tool, i));
    }
    return calls;
  }

  private static long lastFinish(SharedSim sim, RunResult result) {
    return result.results().stream()
        .mapToLong(r -> sim.millisFromStart(r.finishedAt()))
        .max()
        .orElseThrow();
  }

  @Test
  void equalPriorities_shareRoundRobinByRun_notByArrival() {
    SharedSim sim = new SharedSim(b -> b.capacity(1));
    SimTool work = SimTool.fixed("work", 10);
    ToolRun big = sim.start(ExecutionPlan.parallel(calls("big-", work, 6)));
    ToolRun small = sim.start(ExecutionPlan.parallel(calls("small-", work, 3)));
    sim.time.runUntilIdle();
    List<CallResult<?>> all = new ArrayList<>(big.result().join().results());
    all.addAll(small.result().join().results());
    all.sort(Comparator.comparing(CallResult::startedAt));
    List<String> order = all.stream().map(r -> r.callId().replaceAll("-\\d+", "")).toList();
    // big's first call took the free slot; then the runs take turns while both wait
    assertThat(order)
        .containsExactly("big", "small", "big", "small", "big", "small", "big", "big", "big");
  }

  @Test
  void higherPriority_goesFirst_andKeepsItsAloneLatency() {
    SimTool work = SimTool.fixed("work", 10);
    SharedSim alone = new SharedSim(b -> b.capacity(4));
    long aloneMs =
        lastFinish(
            alone,
            alone.finish(
                alone.start(ExecutionPlan.parallel(calls("i-", work, 4)).withPriority(10))));

    SharedSim shared = new SharedSim(b -> b.capacity(4));
    ToolRun background = shared.start(ExecutionPlan.parallel(calls("b-", work, 200)));
    shared.time.advance(Duration.ofMillis(25)); // background fills every slot
    ToolRun interactive =
        shared.start(ExecutionPlan.parallel(calls("i-", work, 4)).withPriority(10));
    RunResult result = shared.finish(interactive);
    long started = 25;
    // it waits for running background calls to end (at most one call's duration), never for the
    // 190-odd background calls queued before it
    assertThat(lastFinish(shared, result) - started).isLessThanOrEqualTo(aloneMs + 10);
    assertThat(shared.finish(background).results())
        .allMatch(r -> r.status() == CallStatus.SUCCEEDED);
  }

  @Test
  void fifo_makesTheInteractiveRunWaitBehindTheBackground() {
    SimTool work = SimTool.fixed("work", 10);
    SharedSim shared = new SharedSim(b -> b.capacity(4).fifo());
    shared.start(ExecutionPlan.parallel(calls("b-", work, 200)));
    shared.time.advance(Duration.ofMillis(25));
    ToolRun interactive =
        shared.start(ExecutionPlan.parallel(calls("i-", work, 4)).withPriority(10));
    RunResult result = shared.finish(interactive);
    assertThat(lastFinish(shared, result)).isGreaterThanOrEqualTo(500); // 200 calls / 4 x 10 ms
  }

  @Test
  void aging_lowPriorityRun_startsWithinItsBound_underAStreamOfHighPriorityWork() {
    Duration aging = Duration.ofMillis(100);
    int high = 5;
    SharedSim sim = new SharedSim(b -> b.capacity(1).agingInterval(aging));
    SimTool work = SimTool.fixed("work", 10);
    ToolRun busy = sim.start(ExecutionPlan.parallel(calls("h-", work, 300)).withPriority(high));
    sim.time.advance(Duration.ofMillis(5));
    ToolRun low = sim.start(ExecutionPlan.parallel(calls("low-", work, 1)));
    RunResult lowResult = sim.finish(low);
    long waited = sim.millisFromStart(lowResult.results().get(0).startedAt()) - 5;
    // the bound: (q - p) x aging; then the high run, last served at or before that moment, may be
    // served once more (one 10 ms call) before the low run takes the next free slot
    long bound = high * aging.toMillis() + 2 * 10;
    assertThat(waited).isLessThanOrEqualTo(bound);
    // and priority did hold it back until then: without aging it would have started at once
    assertThat(waited).isGreaterThanOrEqualTo(high * aging.toMillis() - 10);
    assertThat(sim.finish(busy).results()).allMatch(r -> r.status() == CallStatus.SUCCEEDED);
  }

  @Test
  void withinARun_callsStartInTheRunsOwnOrder() {
    SharedSim sim = new SharedSim(b -> b.capacity(1));
    SimTool work = SimTool.fixed("work", 10);
    RunResult result = sim.finish(sim.start(ExecutionPlan.sequential(calls("s-", work, 5))));
    assertThat(result.results()).isSortedAccordingTo(Comparator.comparing(CallResult::startedAt));
    RunResult parallel = sim.finish(sim.start(ExecutionPlan.parallel(calls("p-", work, 5))));
    assertThat(parallel.results()).isSortedAccordingTo(Comparator.comparing(CallResult::startedAt));
    assertThat(sim.shared.stats().inUse()).isZero();
  }
}
