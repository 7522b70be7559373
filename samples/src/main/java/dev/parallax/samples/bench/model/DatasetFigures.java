package dev.parallax.samples.bench.model;

import dev.parallax.adaptive.Gain;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One dataset's latency figures in the {@code learning} workload, in the shape of the JSON contract
 * {@code workloads.learning.datasets.NAME}: every dataset (synthetic or real) reports the same
 * fields, so tools can read them alike.
 *
 * <pre>{@code
 * "nonlinear": {
 *   "mae_log_latency": {"model": 0.14, "per_tool_mean": 0.52},
 *   "model_used_share": 0.97,
 *   "gain": {"ratio": 0.26, "low": 0.24, "high": 0.28, "rows": 2000},
 *   "scored_records": 2000,
 *   "description": "...",
 *   ...extra fields of the dataset
 * }
 * }</pre>
 *
 * <p>{@code per_tool_mean} is the error of the per-tool moving average (what the predictor answers
 * without a model), {@code model} the error of the predictor as it answered (its model where the
 * gate let it, the moving average elsewhere), both mean absolute errors of the natural log of the
 * latency in seconds on the same scored records; {@code gain} is their ratio with its 95% paired
 * bootstrap interval ({@link Gain#bootstrap}) and the number of records; {@code model_used_share}
 * the share of scored records the model answered.
 *
 * @param description what the dataset is, in a sentence (say "in the linear model's class" if so)
 * @param maeModel the predictor's error
 * @param maePerToolMean the moving average's error
 * @param modelUsedShare share of scored records answered by a model, in [0, 1]
 * @param gain {@code maeModel / maePerToolMean} with its interval and rows
 * @param extra further fields of this dataset (numbers, strings, maps of them), after the others
 */
public record DatasetFigures(
    String description,
    double maeModel,
    double maePerToolMean,
    double modelUsedShare,
    Gain gain,
    Map<String, Object> extra) {

  /** Copies {@code extra}, keeping its order. */
  public DatasetFigures {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(gain, "gain");
    extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /**
   * The figures from per-record absolute errors of log latency (model and moving average on the
   * same records, paired by index) and which records the model answered.
   */
  public static DatasetFigures of(
      String description,
      double[] modelErrors,
      double[] perToolMeanErrors,
      boolean[] answeredByModel,
      long seed,
      Map<String, Object> extra) {
    int used = 0;
    for (boolean b : answeredByModel) {
      used += b ? 1 : 0;
    }
    return new DatasetFigures(
        description,
        mean(modelErrors),
        mean(perToolMeanErrors),
        answeredByModel.length == 0 ? Double.NaN : (double) used / answeredByModel.length,
        Gain.bootstrap(modelErrors, perToolMeanErrors, seed),
        extra);
  }

  /** The JSON fields, in contract order. */
  public Map<String, Object> fields() {
    Map<String, Object> mae = new LinkedHashMap<>();
    mae.put("model", maeModel);
    mae.put("per_tool_mean", maePerToolMean);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mae_log_latency", mae);
    m.put("model_used_share", modelUsedShare);
    m.put("gain", gainFields(gain));
    m.put("scored_records", gain.rows());
    m.put("description", description);
    m.putAll(extra);
    return m;
  }

  /** A gain as {@code {"ratio", "low", "high", "rows"}}. */
  public static Map<String, Object> gainFields(Gain gain) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("ratio", gain.ratio());
    g.put("low", gain.low());
    g.put("high", gain.high());
    g.put("rows", gain.rows());
    return g;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }
}
