package dev.parallax.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns the JMH results of {@link OverheadBenchmark} into a table and figures per N: the time of
 * {@code executeParallel} divided by the time of the {@code invokeAll} baseline (target at most
 * 1.5x), and the same with telemetry on (target at most 3x) and against telemetry off.
 */
final class OverheadReport {

  /** The target: Parallax may cost at most this many times the bare fan-out. */
  static final double TARGET = 1.2;

  /** The target with the telemetry SDK and record processor on. */
  static final double TELEMETRY_TARGET = 2.0;

  private final Map<Integer, Result<?>> executor = new TreeMap<>();
  private final Map<Integer, Result<?>> baseline = new TreeMap<>();
  private final Map<Integer, Result<?>> traced = new TreeMap<>();

  OverheadReport(Collection<RunResult> results) {
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      String n = result.getParams().getParam("n");
      if (n == null || !benchmark.startsWith(OverheadBenchmark.class.getName() + ".")) {
        continue;
      }
      if (benchmark.endsWith(".executeParallel")) {
        executor.put(Integer.valueOf(n), result.getPrimaryResult());
      } else if (benchmark.endsWith(".executeParallelWithTelemetry")) {
        traced.put(Integer.valueOf(n), result.getPrimaryResult());
      } else if (benchmark.endsWith(".invokeAll")) {
        baseline.put(Integer.valueOf(n), result.getPrimaryResult());
      }
    }
  }

  /** Prints the table of scores and ratios. */
  void print(PrintStream out) {
    out.println();
    out.println("Overhead: N no-op calls, executeParallel vs virtual-thread invokeAll (us/op)");
    out.printf(
        Locale.ROOT,
        "%6s  %-20s %-20s %-20s %-26s %-26s %-12s %s%n",
        "N",
        "executeParallel",
        "withTelemetry",
        "invokeAll",
        "executor/invokeAll",
        "telemetry/invokeAll",
        "extra/call",
        "target");
    for (Integer n : sizes()) {
      Result<?> ours = executor.get(n);
      Result<?> withTelemetry = traced.get(n);
      Result<?> base = baseline.get(n);
      out.printf(
          Locale.ROOT,
          "%6d  %-20s %-20s %-20s %-26s %-26s %-12s <= %.1fx / %.1fx: %s / %s%n",
          n,
          score(ours),
          score(withTelemetry),
          score(base),
          ratioWithRange(ours, base),
          ratioWithRange(withTelemetry, base),
          ours == null || base == null
              ? "n/a"
              : String.format(Locale.ROOT, "%.3f us", (ours.getScore() - base.getScore()) / n),
          TARGET,
          TELEMETRY_TARGET,
          figure(n).verdict(),
          ratio("", withTelemetry, base, n, TELEMETRY_TARGET).verdict());
    }
  }

  /** One figure per N, in increasing N. */
  List<Figure> figures() {
    List<Figure> figures = new ArrayList<>();
    for (Integer n : sizes()) {
      figures.add(figure(n));
    }
    for (Integer n : sizes()) {
      figures.add(
          ratio(
              "overhead N=" + n + " telemetry/invokeAll",
              traced.get(n),
              baseline.get(n),
              n,
              TELEMETRY_TARGET));
      figures.add(
          ratio(
              "overhead N=" + n + " telemetry/executor",
              traced.get(n),
              executor.get(n),
              n,
              Double.NaN));
    }
    return figures;
  }

  private List<Integer> sizes() {
    TreeMap<Integer, Boolean> all = new TreeMap<>();
    executor.keySet().forEach(n -> all.put(n, true));
    baseline.keySet().forEach(n -> all.put(n, true));
    return List.copyOf(all.keySet());
  }

  private Figure figure(int n) {
    return ratio(
        "overhead N=" + n + " executeParallel/invokeAll",
        executor.get(n),
        baseline.get(n),
        n,
        TARGET);
  }

  private static Figure ratio(String name, Result<?> ours, Result<?> base, int n, double limit) {
    String target = Double.isNaN(limit) ? "(info)" : String.format(Locale.ROOT, "<= %.1fx", limit);
    if (ours == null || base == null) {
      return new Figure(name, Double.NaN, target, Figure.Verdict.NA, "one side was not run");
    }
    double ratio = ours.getScore() / base.getScore();
    return new Figure(
        name,
        ratio,
        target,
        Double.isNaN(limit) ? Figure.Verdict.NA : Figure.Verdict.of(ratio <= limit),
        String.format(
            Locale.ROOT,
            "%s, %s vs %s us/op, %+.3f us per call",
            ratioWithRange(ours, base),
            score(ours),
            score(base),
            (ours.getScore() - base.getScore()) / n));
  }

  /**
   * {@code ratio [low..high]}: the ratio of the scores and the range their confidence intervals
   * allow ({@code [low..inf]} when the baseline's interval reaches zero).
   */
  static String ratioWithRange(Result<?> ours, Result<?> base) {
    if (ours == null || base == null) {
      return "n/a";
    }
    double ratio = ours.getScore() / base.getScore();
    double ourError = Double.isNaN(ours.getScoreError()) ? 0 : ours.getScoreError();
    double baseError = Double.isNaN(base.getScoreError()) ? 0 : base.getScoreError();
    double low = Math.max(0, ours.getScore() - ourError) / (base.getScore() + baseError);
    double baseLow = base.getScore() - baseError;
    String high =
        baseLow > 0
            ? String.format(Locale.ROOT, "%.2f", (ours.getScore() + ourError) / baseLow)
            : "inf";
    return String.format(Locale.ROOT, "%.2fx [%.2f..%s]", ratio, low, high);
  }

  private static String score(Result<?> result) {
    if (result == null) {
      return "n/a";
    }
    double error = result.getScoreError();
    return Double.isNaN(error)
        ? String.format(Locale.ROOT, "%.2f", result.getScore())
        : String.format(Locale.ROOT, "%.2f ± %.2f", result.getScore(), error);
  }
}
