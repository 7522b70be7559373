package dev.parallax.samples.bench.workload;

import dev.parallax.adaptive.ModelReport;
import java.util.LinkedHashMap;
import java.util.Map;

/** A predictor's {@link ModelReport} as report fields. */
final class ModelReports {

  private ModelReports() {}

  /** The report's figures under snake-case names. */
  static Map<String, Object> fields(ModelReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("train_rows", report.trainRows());
    m.put("held_out_rows", report.heldOutRows());
    m.put("latency_mae_model", report.latencyMaeModel());
    m.put("latency_mae_baseline", report.latencyMaeBaseline());
    m.put("latency_model_used", report.latencyModelUsed());
    m.put("success_auc", report.successAuc());
    m.put("success_model_used", report.successModelUsed());
    m.put("note", report.note());
    return m;
  }
}
