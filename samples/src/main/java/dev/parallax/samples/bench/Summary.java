package dev.parallax.samples.bench;

import dev.parallax.samples.bench.model.BenchReport;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import dev.parallax.samples.bench.output.Values;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Prints a report's figures as plain-text tables. */
final class Summary {

  /**
   * Fields printed under each workload's table: the headline figures of the contract. A map whose
   * values are all maps (such as {@code by_calls}) is printed one line per key.
   */
  private static final List<String> HEADLINES =
      List.of(
          "ratio_vs_virtual_threads",
          "by_calls",
          "speedup_4x100ms",
          "limit_durations",
          "fast_batch_parallel_over_sequential",
          "mean_makespan_over_lower_bound",
          "learned_over_oracle",
          "best_static_limit",
          "ratio_vs_static_best",
          "capacity_by_policy",
          "capacity_ratios",
          "fallbacks",
          "mae_log_latency",
          "latency_vs_per_tool_mean",
          "auc",
          "preload_by_direction",
          "preload_over_splits");

  private Summary() {}

  static void print(PrintWriter out, BenchReport report) {
    out.printf(
        Locale.ROOT,
        "Parallax bench: seed %d, %d cores, Java %s%s%n",
        report.seed(),
        report.machine().cores(),
        report.machine().javaVersion(),
        report.quick() ? " (QUICK: smoke-test sizes)" : "");
    for (WorkloadResult result : report.workloads().values()) {
      out.println();
      out.printf(
          Locale.ROOT,
          "== %s (%.1f s)%n",
          result.name(),
          report.elapsedSeconds().getOrDefault(result.name(), Double.NaN));
      out.printf(
          Locale.ROOT,
          "  %-20s %12s %12s %8s %10s %10s %12s%n",
          "policy",
          "makespan_ms",
          "lower_bound",
          "success",
          "p95_ms",
          "executions",
          "throughput/s");
      for (Map.Entry<String, PolicyFigures> e : result.policies().entrySet()) {
        PolicyFigures f = e.getValue();
        out.printf(
            Locale.ROOT,
            "  %-20s %12s %12s %8s %10s %10s %12s%n",
            e.getKey(),
            num(f.makespanMs()),
            num(f.lowerBoundMs()),
            num(f.successRate()),
            num(f.p95Ms()),
            f.toolExecutions() == null ? "-" : f.toolExecutions().toString(),
            num(f.throughputPerS()));
      }
      for (String field : HEADLINES) {
        Object value = result.fields().get(field);
        if (value instanceof Map<?, ?> rows
            && !rows.isEmpty()
            && rows.values().stream().allMatch(Map.class::isInstance)) {
          out.printf(Locale.ROOT, "  %s:%n", field);
          rows.forEach((key, row) -> out.printf(Locale.ROOT, "    %s: %s%n", key, describe(row)));
        } else if (value != null) {
          out.printf(Locale.ROOT, "  %s: %s%n", field, describe(value));
        }
      }
    }
    out.flush();
  }

  private static String describe(Object value) {
    return Values.describe(value);
  }

  private static String num(@Nullable Double value) {
    if (value == null || !Double.isFinite(value)) {
      return "-";
    }
    double a = Math.abs(value);
    return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.3f" : "%.4f", value);
  }
}
