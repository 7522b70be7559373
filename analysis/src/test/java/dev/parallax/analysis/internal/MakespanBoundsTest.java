package dev.parallax.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.planner.sim.HeterogeneousGraphs;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Simulator;
import dev.parallax.planner.sim.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MakespanBoundsTest {

  private static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Test
  void independentTasks_boundIsTotalWorkPerSlot() {
    // 4 + 3 + 3 + 2 = 12 s of work on 2 slots: at least 6 s; the longest task is 4 s
    Workload w =
        new Workload(
            "independent",
            List.of(
                SimulatedCall.of("a", "t", s(4)),
                SimulatedCall.of("b", "t", s(3)),
                SimulatedCall.of("c", "t", s(3)),
                SimulatedCall.of("d", "t", s(2))));

    MakespanBounds.Bounds b = MakespanBounds.of(w, 2);

    assertThat(b.criticalPath()).isEqualTo(s(4));
    assertThat(b.workPerSlot()).isEqualTo(s(6));
    assertThat(b.window()).isEqualTo(s(6));
    assertThat(b.lowerBound()).isEqualTo(s(6));
  }

  @Test
  void chain_boundIsTheCriticalPath() {
    Workload w =
        new Workload(
            "chain",
            List.of(
                SimulatedCall.of("a", "t", s(2)),
                SimulatedCall.of("b", "t", s(5), "a"),
                SimulatedCall.of("c", "t", s(1), "b")));

    MakespanBounds.Bounds b = MakespanBounds.of(w, 4);

    assertThat(b.criticalPath()).isEqualTo(s(8));
    assertThat(b.workPerSlot()).isEqualTo(s(2)); // 8 s / 4 slots
    assertThat(b.lowerBound()).isEqualTo(s(8));
  }

  @Test
  void splitFanOutMerge_windowBound_addsTheChainsToTheFanOutsWorkPerSlot() {
    // split (10 s) -> 8 tasks of 5 s -> merge (10 s), 4 slots.
    // critical path 10 + 5 + 10 = 25; total work 60 / 4 = 15; but the 8 middle tasks cannot start
    // before 10 s, hold 40 s of work (10 s on 4 slots), and leave 10 s after them: 30 s. That is
    // also what the best schedule takes, so the bound is tight here.
    List<SimulatedCall> calls = new ArrayList<>();
    calls.add(SimulatedCall.of("split", "split", s(10)));
    List<String> middle = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(SimulatedCall.of("m" + i, "work", s(5), "split"));
      middle.add("m" + i);
    }
    calls.add(SimulatedCall.of("merge", "merge", s(10), middle.toArray(String[]::new)));
    Workload w = new Workload("fan", calls);

    MakespanBounds.Bounds b = MakespanBounds.of(w, 4);

    assertThat(b.criticalPath()).isEqualTo(s(25));
    assertThat(b.workPerSlot()).isEqualTo(s(15));
    assertThat(b.window()).isEqualTo(s(30));
    assertThat(b.lowerBound()).isEqualTo(s(30));
    try (Simulator fifo = Simulator.builder().slots(4).build()) {
      assertThat(fifo.run(w).makespan()).isEqualTo(s(30));
    }
  }

  @Test
  void runsOneAfterAnother_boundsAreSummed() {
    Workload one = new Workload("one", List.of(SimulatedCall.of("a", "t", s(3))));
    Workload two =
        new Workload(
            "two", List.of(SimulatedCall.of("a", "t", s(4)), SimulatedCall.of("b", "t", s(4))));

    MakespanBounds.Bounds b = MakespanBounds.of(List.of(one, two), 1);

    assertThat(b.criticalPath()).isEqualTo(s(3 + 4));
    assertThat(b.workPerSlot()).isEqualTo(s(3 + 8));
    assertThat(b.lowerBound()).isEqualTo(s(11));
  }

  @Test
  void emptyWorkload_hasZeroBounds() {
    assertThat(MakespanBounds.of(new Workload("empty", List.of()), 4).lowerBound())
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void slotsBelowOne_areRefused() {
    Workload w = new Workload("one", List.of(SimulatedCall.of("a", "t", s(3))));
    assertThatThrownBy(() -> MakespanBounds.of(w, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  @Test
  void noSimulatedSchedule_beatsTheBound_andTheBoundIsAtLeastTheClassicOne() {
    // random heterogeneous DAGs (fixed seed): FIFO and oracle critical-path schedules, at 1 to 8
    // slots, never finish before the bound; the bound is never below max(critical path, work/m)
    List<Workload> graphs = new HeterogeneousGraphs(11, 5, 120, 6).next(40);
    for (int slots : new int[] {1, 2, 4, 8}) {
      for (SchedulingPolicy policy :
          List.of(SchedulingPolicy.fifo(), CriticalPathScheduling.using(Simulator.oracle()))) {
        try (Simulator sim = Simulator.builder().slots(slots).scheduling(policy).build()) {
          for (Workload w : graphs) {
            Duration bound = MakespanBounds.of(w, slots).lowerBound();
            assertThat(bound)
                .as(w.name())
                .isGreaterThanOrEqualTo(w.lowerBound(slots).minusNanos(1));
            assertThat(sim.run(w).makespan()).as(w.name()).isGreaterThanOrEqualTo(bound);
          }
        }
      }
    }
  }
}
