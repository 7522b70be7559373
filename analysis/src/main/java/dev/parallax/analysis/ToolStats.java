package dev.parallax.analysis;

import dev.parallax.analysis.internal.Json;
import dev.parallax.planner.sim.SimulatedCall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latency and success of one tool over the tasks of an input. Percentiles are nearest-rank: the
 * p-th percentile is the smallest recorded latency with at least p% of the tool's tasks at or below
 * it.
 *
 * @param tool the tool (a WfFormat task's program)
 * @param count how many tasks ran it
 * @param meanSeconds mean latency
 * @param p50Seconds median latency
 * @param p95Seconds 95th percentile of latency
 * @param maxSeconds longest latency
 * @param successRate share of its tasks that succeeded (WfFormat records no failures: 1)
 */
public record ToolStats(
    String tool,
    int count,
    double meanSeconds,
    double p50Seconds,
    double p95Seconds,
    double maxSeconds,
    double successRate) {

  /** One entry per tool, sorted by tool name. */
  public static List<ToolStats> of(List<SimulatedCall> tasks) {
    Map<String, List<SimulatedCall>> byTool = new TreeMap<>();
    tasks.forEach(t -> byTool.computeIfAbsent(t.tool(), k -> new ArrayList<>()).add(t));
    List<ToolStats> stats = new ArrayList<>(byTool.size());
    byTool.forEach((tool, calls) -> stats.add(of(tool, calls)));
    return stats;
  }

  private static ToolStats of(String tool, List<SimulatedCall> calls) {
    double[] seconds = calls.stream().mapToDouble(c -> Json.seconds(c.duration())).toArray();
    Arrays.sort(seconds);
    double sum = 0;
    for (double s : seconds) {
      sum += s;
    }
    long succeeded = calls.stream().filter(SimulatedCall::succeeds).count();
    return new ToolStats(
        tool,
        seconds.length,
        sum / seconds.length,
        nearestRank(seconds, 0.50),
        nearestRank(seconds, 0.95),
        seconds[seconds.length - 1],
        (double) succeeded / seconds.length);
  }

  /** The nearest-rank percentile of sorted values. */
  static double nearestRank(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
