package dev.parallax.samples.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.planner.preload.PreloadReplay.Result;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PreloadSplitsTest {

  private static final List<Integer> TASKS =
      IntStream.range(0, 50).boxed().flatMap(t -> IntStream.range(0, 4).mapToObj(i -> t)).toList();

  @Test
  void halves_dealEveryTaskToExactlyOneHalfOf25() {
    for (int s = 0; s < 20; s++) {
      List<Set<Integer>> h = PreloadSplits.halves(TASKS, 42, s);

      assertThat(h.get(0)).hasSize(25);
      assertThat(h.get(1)).hasSize(25).doesNotContainAnyElementsOf(h.get(0));
      Set<Integer> all = new HashSet<>(h.get(0));
      all.addAll(h.get(1));
      assertThat(all).containsExactlyInAnyOrderElementsOf(new HashSet<>(TASKS));
    }
  }

  @Test
  void halves_sameSeedAndIndex_sameSplit_otherIndex_otherSplit() {
    assertThat(PreloadSplits.halves(TASKS, 42, 3)).isEqualTo(PreloadSplits.halves(TASKS, 42, 3));
    assertThat(PreloadSplits.halves(TASKS, 42, 3).get(0))
        .isNotEqualTo(PreloadSplits.halves(TASKS, 42, 4).get(0));
    assertThat(PreloadSplits.halves(TASKS, 42, 3).get(0))
        .isNotEqualTo(PreloadSplits.halves(TASKS, 43, 3).get(0));
  }

  @Test
  void median_ofOddAndEvenCounts() {
    assertThat(PreloadSplits.median(List.of(0.3, 0.1, 0.2))).isEqualTo(0.2);
    assertThat(PreloadSplits.median(List.of(0.4, 0.1, 0.2, 0.3))).isEqualTo(0.25);
    assertThat(PreloadSplits.median(List.of())).isNaN();
  }

  @Test
  void summary_givesMedianRangeAndShareMeetingEachGoal() {
    // wait saved 30% / 10% / 25%; wasted 20% / 10% / 40% (3 of 15, 1 of 10, 4 of 10)
    List<PreloadSplits.Half> halves =
        List.of(
            half(0, false, 1000, 700, 15, 3),
            half(0, true, 1000, 900, 10, 1),
            half(1, false, 1000, 750, 10, 4));

    Map<String, Object> m = PreloadSplits.summary(halves, PreloadSplits.Half::prequential);

    assertThat(m).containsEntry("splits", 2L).containsEntry("held_out_halves", 3);
    assertThat((double) m.get("wait_saved_share_median")).isCloseTo(0.25, within());
    assertThat((double) m.get("wait_saved_share_min")).isCloseTo(0.10, within());
    assertThat((double) m.get("wait_saved_share_max")).isCloseTo(0.30, within());
    assertThat((double) m.get("wasted_share_median")).isCloseTo(0.20, within());
    assertThat((double) m.get("wasted_share_max")).isCloseTo(0.40, within());
    assertThat((double) m.get("share_meeting_saved_goal")).isCloseTo(2.0 / 3, within());
    assertThat((double) m.get("share_meeting_waste_goal")).isCloseTo(2.0 / 3, within());
    assertThat((double) m.get("share_meeting_goal")).isCloseTo(1.0 / 3, within());
  }

  @Test
  void run_replaysEachSplitBothWays_andLearnsAWalkThatHolds() {
    // 10 tasks x 2 trials of a user whose reservations are then looked up one after another
    List<TauBenchTrajectories.Trajectory> all = new java.util.ArrayList<>();
    for (int trial = 0; trial < 2; trial++) {
      for (int task = 0; task < 10; task++) {
        all.add(walk(task, trial));
      }
    }
    int[] steps = {0};

    List<PreloadSplits.Half> halves =
        PreloadSplits.run(
            all,
            2,
            7,
            PreloadWorkload.latency(7),
            TauBenchTrajectories.READ_ONLY::contains,
            () -> steps[0]++);

    assertThat(halves)
        .extracting(h -> h.split() + "/" + h.reversed())
        .containsExactly("0/false", "0/true", "1/false", "1/true");
    assertThat(steps[0]).isEqualTo(2);
    assertThat(halves)
        .allSatisfy(
            h -> {
              assertThat(h.prequential().calls()).isEqualTo(5 * 2 * 4L);
              assertThat(h.prequential().waitSavedShare()).isPositive();
            });
  }

  private static TauBenchTrajectories.Trajectory walk(int task, int trial) {
    String user = "u" + task;
    String[] res = {user + "a", user + "b", user + "c"};
    List<TauBenchTrajectories.Call> calls = new java.util.ArrayList<>();
    calls.add(
        call(
            "get_user_details",
            "{\"user_id\":\"" + user + "\"}",
            "{\"reservations\":[\"" + String.join("\",\"", res) + "\"]}"));
    for (String r : res) {
      calls.add(
          call(
              "get_reservation_details",
              "{\"reservation_id\":\"" + r + "\"}",
              "{\"user_id\":\"" + user + "\"}"));
    }
    return new TauBenchTrajectories.Trajectory(task, trial, calls);
  }

  private static TauBenchTrajectories.Call call(String tool, String args, String result) {
    try {
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      return new TauBenchTrajectories.Call(
          new dev.parallax.planner.preload.ObservedCall(
              tool, json.readTree(args), json.readTree(result)),
          0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  private static PreloadSplits.Half half(
      int split, boolean reversed, long without, long with, long started, long wasted) {
    Result r =
        new Result(
            100,
            50,
            0,
            started,
            started - wasted,
            wasted,
            without,
            with,
            0,
            0,
            0,
            List.of(),
            Map.of(),
            0,
            0);
    return new PreloadSplits.Half(split, reversed, r, r);
  }
}
