package dev.parallax.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * The figures of {@link PredictionBenchmark}: the median cost of a prediction with the trained
 * models (target at most 10 µs), and its ratio to the baseline-only prediction measured in the same
 * run.
 */
final class PredictionReport {

  /** The target: a model prediction's median cost, in microseconds. */
  static final double TARGET_MICROS = 10;

  private PredictionReport() {}

  static List<Figure> figures(Collection<RunResult> results) {
    Statistics models = null;
    Statistics forest = null;
    Statistics baseline = null;
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      if (benchmark.equals(PredictionBenchmark.class.getName() + ".predictWithModels")) {
        models = result.getPrimaryResult().getStatistics();
      } else if (benchmark.equals(PredictionBenchmark.class.getName() + ".predictWithForest")) {
        forest = result.getPrimaryResult().getStatistics();
      } else if (benchmark.equals(PredictionBenchmark.class.getName() + ".predictBaselineOnly")) {
        baseline = result.getPrimaryResult().getStatistics();
      }
    }
    List<Figure> figures = new ArrayList<>();
    if (models == null) {
      return figures;
    }
    double median = models.getPercentile(50);
    figures.add(
        new Figure(
            "prediction median cost, models (us)",
            median,
            String.format(Locale.ROOT, "<= %.0f us", TARGET_MICROS),
            Figure.Verdict.of(median <= TARGET_MICROS),
            String.format(
                Locale.ROOT,
                "p50 %.2f us, p90 %.2f us, p99 %.2f us",
                median,
                models.getPercentile(90),
                models.getPercentile(99))));
    if (forest != null) {
      double f = forest.getPercentile(50);
      figures.add(
          new Figure(
              "prediction median cost, random forest (us)",
              f,
              String.format(Locale.ROOT, "<= %.0f us", TARGET_MICROS),
              Figure.Verdict.of(f <= TARGET_MICROS),
              String.format(
                  Locale.ROOT,
                  "p50 %.2f us, p90 %.2f us, p99 %.2f us",
                  f,
                  forest.getPercentile(90),
                  forest.getPercentile(99))));
    }
    if (baseline != null) {
      double base = baseline.getPercentile(50);
      figures.add(
          new Figure(
              "prediction models/baseline (median)",
              median / base,
              "(info)",
              Figure.Verdict.NA,
              String.format(Locale.ROOT, "%.2f us vs %.2f us", median, base)));
    }
    return figures;
  }
}
