package dev.parallax.samples.analyze;

import dev.parallax.analysis.InputAnalysis;
import dev.parallax.analysis.ModelScore;
import dev.parallax.analysis.SimulatedMakespans;
import dev.parallax.analysis.ToolStats;
import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.planner.sim.SimulatedCall;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The analysis as text on standard output: per input, a tool table and the headline figures. */
final class TextReport {

  private static final int PATH_SHOWN = 8;

  private TextReport() {}

  /** Prints {@code analyses} to {@code out}. */
  static void print(List<InputAnalysis> analyses, PrintWriter out) {
    for (InputAnalysis a : analyses) {
      TracedWorkflow in = a.input();
      out.printf(
          Locale.ROOT,
          "%s  (%s, %d run%s, %d tasks)%n",
          in.file(),
          in.format().label(),
          in.runs().size(),
          in.runs().size() == 1 ? "" : "s",
          in.size());
      out.printf(
          Locale.ROOT,
          "  %-24s %6s %10s %10s %10s %8s%n",
          "tool",
          "count",
          "mean",
          "p50",
          "p95",
          "success");
      for (ToolStats t : a.tools()) {
        out.printf(
            Locale.ROOT,
            "  %-24s %6d %10s %10s %10s %7.1f%%%n",
            t.tool(),
            t.count(),
            Figures.time(t.meanSeconds()),
            Figures.time(t.p50Seconds()),
            Figures.time(t.p95Seconds()),
            100 * t.successRate());
      }
      out.printf("  recorded makespan   %s%n", Figures.time(a.recordedMakespan()));
      out.printf(
          "  critical path       %s  (%d tasks: %s)%n",
          Figures.time(a.criticalPathLength()), a.criticalPath().size(), path(a.criticalPath()));
      out.printf("  lower bound @%-5d  %s%n", a.slots(), Figures.time(a.lowerBound()));
      SimulatedMakespans s = a.simulated();
      out.printf(
          "  simulated @%-7d  fifo %s, learned %s (%s vs fifo), oracle %s (%s vs fifo)%n",
          a.slots(),
          Figures.time(s.fifo()),
          Figures.time(s.learned()),
          Figures.change(s.learned(), s.fifo()),
          Figures.time(s.oracle()),
          Figures.change(s.oracle(), s.fifo()));
      ModelScore m = a.model();
      out.printf(
          "  model               MAE of log latency %s vs per-tool mean %s, on %d scored tasks"
              + " (trained on %d; model answered %s%%)%s%n",
          Figures.number(m.maeLogLatency(), 3),
          Figures.number(m.baselineMaeLogLatency(), 3),
          m.scoredTasks(),
          m.trainingTasks(),
          Figures.number(100 * m.answeredByModel(), 0),
          m.note().isEmpty() ? "" : "; " + m.note());
      for (String note : in.notes()) {
        out.println("  note: " + note);
      }
      out.println();
    }
    out.flush();
  }

  private static String path(List<SimulatedCall> path) {
    String shown =
        path.stream().limit(PATH_SHOWN).map(SimulatedCall::id).collect(Collectors.joining(" -> "));
    return path.size() > PATH_SHOWN
        ? shown + " -> ... (" + (path.size() - PATH_SHOWN) + " more)"
        : shown;
  }
}
