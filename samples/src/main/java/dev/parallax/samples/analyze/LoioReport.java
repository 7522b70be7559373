package dev.parallax.samples.analyze;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.analysis.FeatureSet;
import dev.parallax.analysis.HeldOutInstance;
import dev.parallax.analysis.LoioEvaluation;
import dev.parallax.analysis.NeighbourComparison;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The leave-one-instance-out evaluation ({@code parallax analyze --loio}) as text and as JSON:
 * {@code {"mode": "loio", "features", "concurrency", "confidence", "applications": [{"application",
 * "instances": [...], "average": {...}}]}}. Stateless.
 */
final class LoioReport {

  private LoioReport() {}

  /** Prints {@code evaluations} to {@code out}. */
  static void print(List<LoioEvaluation> evaluations, FeatureSet features, PrintWriter out) {
    out.println("features: " + features.description());
    for (LoioEvaluation e : evaluations) {
      int pct = (int) Math.round(100 * e.level());
      out.printf(
          Locale.ROOT,
          "%n%s: leave-one-instance-out over %d instances, %d tasks scored%n",
          e.application(),
          e.instances().size(),
          e.rows());
      out.printf(
          Locale.ROOT,
          "  %-48s %5s %7s %7s %7s %17s %6s %9s %7s %6s %8s%n",
          "held-out instance",
          "rows",
          "model",
          "mean",
          "ratio",
          pct + "% interval",
          "model%",
          "mk/fifo@" + e.slots(),
          "oracle",
          "best",
          "fifo/lb");
      for (HeldOutInstance h : e.instances()) {
        out.printf(
            Locale.ROOT,
            "  %-48s %5d %7.3f %7.3f %7.3f   [%5.3f, %5.3f]%s %5.0f%% %9.3f %7.3f %6.3f %7.3f%s%n",
            Path.of(h.file()).getFileName(),
            h.rows(),
            h.modelMae(),
            h.perToolMeanMae(),
            h.ratio(),
            h.ratioLow(),
            h.ratioHigh(),
            h.worseBeyondInterval() ? "!" : " ",
            100 * h.answeredByModel(),
            h.makespanRatio(),
            h.oracleMakespanRatio(),
            h.bestKnownOverFifo(),
            h.fifoOverLowerBound(),
            h.makespanGoalAttainable(MAKESPAN_GOAL) ? " " : "x");
      }
      out.printf(
          Locale.ROOT,
          "  average: MAE(log) model %.3f / per-tool mean %.3f = ratio %.3f, %d%% interval"
              + " [%.3f, %.3f]; worse than the mean beyond its interval on %d of %d instances;"
              + " model answered %.0f%%; learned-priority makespan %.3f x FIFO at %d slots"
              + " (oracle %.3f)%n",
          e.modelMae(),
          e.perToolMeanMae(),
          e.averageRatio(),
          pct,
          e.averageRatioLow(),
          e.averageRatioHigh(),
          e.worseBeyondInterval(),
          e.instances().size(),
          100 * e.answeredByModel(),
          e.makespanRatio(),
          e.slots(),
          e.oracleMakespanRatio());
      out.printf(
          Locale.ROOT,
          "  makespan lower bound: FIFO %.3f x the bound on average (no scheduler below %.3f x"
              + " FIFO; the best schedule found with true durations %.3f x FIFO); a makespan of"
              + " %.2f x FIFO is %s%n",
          e.fifoOverLowerBound(),
          e.lowerBoundOverFifo(),
          e.bestKnownOverFifo(),
          MAKESPAN_GOAL,
          unattainable(e));
      NeighbourComparison n = e.neighbours();
      if (n != null) {
        out.printf(
            Locale.ROOT,
            "  k=%d nearest neighbours, no gate, ratio to the per-tool mean (%d%% interval):%n",
            n.k(),
            pct);
        neighbourLine(out, "store (Lucene, all training tasks)", n.store());
        neighbourLine(out, "in memory (newest 512 per tool)", n.inMemory());
        neighbourLine(out, "exact (all training tasks)", n.exact());
      }
    }
    if (evaluations.stream().anyMatch(e -> e.neighbours() != null)) {
      out.printf(
          Locale.ROOT,
          "%nneighbours, averaged over applications: store %.3f, in memory (newest 512) %.3f,"
              + " exact %.3f%n",
          averageOver(evaluations, NeighbourComparison::store),
          averageOver(evaluations, NeighbourComparison::inMemory),
          averageOver(evaluations, NeighbourComparison::exact));
    }
    out.println();
    out.println(
        "ratio = model MAE / per-tool-mean MAE of ln(latency) on every task of the held-out"
            + " instance (below 1: the model is better); '!' marks an interval entirely above 1;"
            + " mk/fifo and oracle: simulated makespan of learned and oracle priority over FIFO's;"
            + " best: the best schedule a search over priorities found with the true durations,"
            + " over FIFO's;"
            + " fifo/lb: FIFO's makespan over a lower bound on any schedule's (critical path,"
            + " work per slot, and chains before and after a set of tasks plus its work per slot);"
            + " 'x' marks an instance where no scheduler can reach "
            + MAKESPAN_GOAL
            + " x FIFO (the bound is above it).");
    out.flush();
  }

  private static void neighbourLine(PrintWriter out, String what, NeighbourComparison.Variant v) {
    out.printf(
        Locale.ROOT,
        "    %-34s ratio %.3f [%.3f, %.3f], answered %3.0f%%, median query %.1f us%n",
        what,
        v.ratio(),
        v.ratioLow(),
        v.ratioHigh(),
        100 * v.answered(),
        v.medianQueryMicros());
  }

  private static double averageOver(
      List<LoioEvaluation> evaluations,
      java.util.function.Function<NeighbourComparison, NeighbourComparison.Variant> which) {
    return evaluations.stream()
        .map(LoioEvaluation::neighbours)
        .filter(java.util.Objects::nonNull)
        .mapToDouble(n -> which.apply(n).ratio())
        .average()
        .orElse(Double.NaN);
  }

  private static void neighboursJson(ObjectNode parent, @Nullable NeighbourComparison n) {
    if (n == null) {
      return;
    }
    ObjectNode o = parent.putObject("neighbours");
    o.put("k", n.k());
    variantJson(o.putObject("store"), n.store());
    variantJson(o.putObject("in_memory"), n.inMemory());
    variantJson(o.putObject("exact"), n.exact());
  }

  private static void variantJson(ObjectNode o, NeighbourComparison.Variant v) {
    number(o, "ratio", v.ratio());
    o.putArray("ratio_interval").add(round(v.ratioLow())).add(round(v.ratioHigh()));
    number(o, "answered_share", v.answered());
    o.put("training_rows", v.rows());
    number(o, "median_query_us", v.medianQueryMicros());
  }

  /**
   * What the report checks makespans against: learned-priority makespan at most this times FIFO's
   * (issue 14).
   */
  static final double MAKESPAN_GOAL = 0.97;

  /** Where the goal is excluded by the lower bound, in words. */
  private static String unattainable(LoioEvaluation e) {
    int out = e.makespanGoalUnattainable(MAKESPAN_GOAL);
    int n = e.instances().size();
    boolean onAverage = e.lowerBoundOverFifo() > MAKESPAN_GOAL;
    if (onAverage) {
      return String.format(
          Locale.ROOT,
          "unattainable for %s: the bound excludes it on %d of %d instances and on the average"
              + " (%.4f)",
          e.application(),
          out,
          n,
          e.lowerBoundOverFifo());
    }
    return out == 0
        ? "not excluded by the bound on any instance"
        : "excluded by the bound on " + out + " of " + n + " instances, not on the average";
  }

  /** The JSON report of {@code evaluations}. */
  static ObjectNode json(List<LoioEvaluation> evaluations, FeatureSet features, int slots) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("mode", "loio");
    root.put("features", features.label());
    ArrayNode postHoc = root.putArray("post_hoc_features");
    if (features == FeatureSet.ALL) {
      FeatureSet.postHocFeatures().forEach(postHoc::add);
    }
    root.put("concurrency", slots);
    root.put("confidence", evaluations.isEmpty() ? 0.95 : evaluations.get(0).level());
    ArrayNode apps = root.putArray("applications");
    for (LoioEvaluation e : evaluations) {
      ObjectNode app = apps.addObject();
      app.put("application", e.application());
      ArrayNode instances = app.putArray("instances");
      for (HeldOutInstance h : e.instances()) {
        ObjectNode o = instances.addObject();
        o.put("file", h.file());
        o.put("rows", h.rows());
        o.put("training_tasks", h.trainingTasks());
        ObjectNode mae = o.putObject("mae_log_latency");
        number(mae, "model", h.modelMae());
        number(mae, "per_tool_mean", h.perToolMeanMae());
        number(o, "ratio", h.ratio());
        ArrayNode interval = o.putArray("ratio_interval");
        interval.add(round(h.ratioLow())).add(round(h.ratioHigh()));
        number(o, "model_used_share", h.answeredByModel());
        ObjectNode simulated = o.putObject("simulated_s");
        number(simulated, "fifo", Figures.seconds(h.makespans().fifo()));
        number(simulated, "learned", Figures.seconds(h.makespans().learned()));
        number(simulated, "oracle", Figures.seconds(h.makespans().oracle()));
        number(simulated, "best_known", Figures.seconds(h.bestKnownMakespan()));
        number(o, "makespan_learned_over_fifo", h.makespanRatio());
        number(o, "makespan_oracle_over_fifo", h.oracleMakespanRatio());
        number(o, "makespan_best_known_over_fifo", h.bestKnownOverFifo());
        ObjectNode bound = o.putObject("makespan_lower_bound_s");
        number(bound, "value", Figures.seconds(h.lowerBound()));
        number(bound, "critical_path", Figures.seconds(h.criticalPath()));
        number(bound, "work_per_slot", Figures.seconds(h.workPerSlot()));
        number(o, "makespan_fifo_over_lower_bound", h.fifoOverLowerBound());
        number(o, "makespan_lower_bound_over_fifo", h.lowerBoundOverFifo());
        o.put("makespan_goal_attainable", h.makespanGoalAttainable(MAKESPAN_GOAL));
        o.put("note", h.note());
        neighboursJson(o, h.neighbours());
      }
      ObjectNode avg = app.putObject("average");
      avg.put("instances", e.instances().size());
      avg.put("rows", e.rows());
      ObjectNode mae = avg.putObject("mae_log_latency");
      number(mae, "model", e.modelMae());
      number(mae, "per_tool_mean", e.perToolMeanMae());
      number(avg, "ratio", e.averageRatio());
      ArrayNode interval = avg.putArray("ratio_interval");
      interval.add(round(e.averageRatioLow())).add(round(e.averageRatioHigh()));
      avg.put("worse_beyond_interval", e.worseBeyondInterval());
      number(avg, "model_used_share", e.answeredByModel());
      number(avg, "makespan_learned_over_fifo", e.makespanRatio());
      number(avg, "makespan_oracle_over_fifo", e.oracleMakespanRatio());
      number(avg, "makespan_best_known_over_fifo", e.bestKnownOverFifo());
      number(avg, "makespan_fifo_over_lower_bound", e.fifoOverLowerBound());
      number(avg, "makespan_lower_bound_over_fifo", e.lowerBoundOverFifo());
      avg.put("makespan_goal", MAKESPAN_GOAL);
      avg.put("makespan_goal_unattainable_instances", e.makespanGoalUnattainable(MAKESPAN_GOAL));
      neighboursJson(avg, e.neighbours());
    }
    return root;
  }

  private static void number(ObjectNode o, String field, double value) {
    if (Double.isFinite(value)) {
      o.put(field, round(value));
    } else {
      o.putNull(field);
    }
  }

  private static double round(double value) {
    return Math.round(value * 1e6) / 1e6;
  }
}
