package dev.parallax.samples.bench.workload;

import dev.parallax.planner.sim.ScheduledCall;
import dev.parallax.planner.sim.SimulationResult;
import dev.parallax.samples.bench.model.Chart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a simulated schedule into a Gantt chart. The simulator reports when each call ran, not in
 * which slot; calls are put on lanes greedily by start time (each on the lowest lane free at its
 * start), which never needs more lanes than calls ran at once.
 */
final class GanttLanes {

  private GanttLanes() {}

  /** The chart of {@code result}, titled {@code title}. */
  static Chart.Gantt chart(String title, SimulationResult result) {
    List<ScheduledCall> started = new ArrayList<>();
    for (ScheduledCall call : result.schedule()) {
      if (call.start() != null) {
        started.add(call);
      }
    }
    started.sort(Comparator.comparing(GanttLanes::start));
    List<Double> laneEnds = new ArrayList<>();
    List<Chart.GanttBar> bars = new ArrayList<>(started.size());
    for (ScheduledCall call : started) {
      double start = Durations.millis(start(call));
      double end = Durations.millis(call.end());
      int lane = 0;
      while (lane < laneEnds.size() && laneEnds.get(lane) > start) {
        lane++;
      }
      if (lane == laneEnds.size()) {
        laneEnds.add(end);
      } else {
        laneEnds.set(lane, end);
      }
      bars.add(
          new Chart.GanttBar(lane, start, end, call.id() + " (" + call.tool() + ")", call.tool()));
    }
    return new Chart.Gantt(
        title,
        Math.max(result.slots(), laneEnds.size()),
        Durations.millis(result.makespan()),
        Durations.millis(result.lowerBound()),
        bars);
  }

  private static Duration start(ScheduledCall call) {
    Duration start = call.start();
    return start == null ? call.end() : start;
  }
}
