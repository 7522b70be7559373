package dev.parallax.samples.bench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.planner.preload.PreloadReplay.Result;
import dev.parallax.samples.bench.workload.PreloadWorkload.Direction;
import dev.parallax.samples.bench.workload.TauBenchTrajectories.Trajectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/*
 * Robustness over splits. The fixed halves (tasks 0-24 / 25-49) are one draw of many: here the 50
 * tasks are dealt into two halves of 25 at random (all trials of a task in one half), split after
 * split from the seed, and each split is replayed both ways with exactly the method of the primary
 * direction (threshold by grouped cross-validation on the learning half, the model learnt on it,
 * the held-out half replayed once learnt and prequentially). Each held-out half is one sample; the
 * report gives, per method, the median and range of the saved and wasted shares over the halves and
 * the share of halves meeting the goal (>= 20% saved and <= 25% wasted). The halves of one split
 * are not independent of each other (together they are the whole file), nor are the splits: the
 * range is a description of the spread, not a confidence interval.
 */

/** Replays the preload workload over many random task-level splits; see the source comment. */
final class PreloadSplits {

  /** Splits of the full bench (each replayed both ways: twice as many held-out halves). */
  static final int SPLITS = 20;

  /** Splits of the quick bench. */
  static final int QUICK_SPLITS = 1;

  private PreloadSplits() {}

  /**
   * The halves of split {@code index}: the first learns, the second is held out; each holds half of
   * the distinct task ids (the first the smaller half when odd), dealt by a seeded shuffle.
   */
  static List<Set<Integer>> halves(List<Integer> tasks, long seed, int index) {
    List<Integer> shuffled = new ArrayList<>(tasks.stream().distinct().sorted().toList());
    Collections.shuffle(shuffled, new Random(seed * 0x9E3779B97F4A7C15L + 31L * index + 17));
    int half = shuffled.size() / 2;
    return List.of(
        new HashSet<>(shuffled.subList(0, half)),
        new HashSet<>(shuffled.subList(half, shuffled.size())));
  }

  /** One held-out half's figures, once learnt and prequential. */
  record Half(int split, boolean reversed, Result once, Result prequential) {}

  /** Replays {@code splits} splits both ways; held-out trajectories keep the file's order. */
  static List<Half> run(
      List<Trajectory> all,
      int splits,
      long seed,
      BiFunction<String, JsonNode, Duration> latency,
      Predicate<String> preloadable,
      Runnable afterEach) {
    List<Integer> tasks = all.stream().map(Trajectory::taskId).toList();
    List<Half> out = new ArrayList<>();
    for (int s = 0; s < splits; s++) {
      List<Set<Integer>> h = halves(tasks, seed, s);
      List<Trajectory> a = all.stream().filter(t -> h.get(0).contains(t.taskId())).toList();
      List<Trajectory> b = all.stream().filter(t -> h.get(1).contains(t.taskId())).toList();
      Direction ab = PreloadWorkload.direction(a, b, seed, latency, preloadable);
      out.add(new Half(s, false, ab.result(), ab.prequential()));
      Direction ba = PreloadWorkload.direction(b, a, seed, latency, preloadable);
      out.add(new Half(s, true, ba.result(), ba.prequential()));
      afterEach.run();
    }
    return out;
  }

  /**
   * The summary of one method over the halves: median, min and max of the saved and wasted shares,
   * and the share of halves meeting each goal and both.
   */
  static Map<String, Object> summary(List<Half> halves, Function<Half, Result> method) {
    List<Result> rs = halves.stream().map(method).toList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("splits", halves.stream().mapToInt(Half::split).distinct().count());
    m.put("held_out_halves", rs.size());
    spread(m, "wait_saved_share", rs.stream().map(Result::waitSavedShare).toList());
    spread(m, "wasted_share", rs.stream().map(Result::wastedShare).toList());
    m.put(
        "share_meeting_saved_goal",
        share(rs, r -> r.waitSavedShare() >= PreloadWorkload.GOAL_SAVED));
    m.put(
        "share_meeting_waste_goal", share(rs, r -> r.wastedShare() <= PreloadWorkload.GOAL_WASTE));
    m.put("share_meeting_goal", share(rs, PreloadWorkload::met));
    return m;
  }

  /** Each half's figures, for the JSON. */
  static List<Map<String, Object>> perHalf(List<Half> halves) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Half h : halves) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("split", h.split());
      m.put("direction", h.reversed() ? "second_learns" : "first_learns");
      m.put("wait_saved_share", h.prequential().waitSavedShare());
      m.put("wasted_share", h.prequential().wastedShare());
      m.put("learnt_once_wait_saved_share", h.once().waitSavedShare());
      m.put("learnt_once_wasted_share", h.once().wastedShare());
      out.add(m);
    }
    return out;
  }

  private static void spread(Map<String, Object> m, String name, List<Double> values) {
    m.put(name + "_median", median(values));
    m.put(name + "_min", values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
    m.put(name + "_max", values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
  }

  /** The median (the mean of the two middle values when even); NaN when empty. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double share(List<Result> rs, Predicate<Result> goal) {
    return rs.isEmpty() ? Double.NaN : (double) rs.stream().filter(goal).count() / rs.size();
  }
}
