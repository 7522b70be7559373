package dev.parallax.samples.bench.workload;

import dev.parallax.adaptive.ModelReport;
import dev.parallax.samples.bench.model.DatasetFigures;
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
    m.put("latency_gain", DatasetFigures.gainFields(report.latencyGain()));
    Map<String, Object> byTool = new LinkedHashMap<>();
    report
        .latencyByTool()
        .forEach(
            (tool, c) -> {
              Map<String, Object> t = new LinkedHashMap<>();
              t.put("model", c.model());
              t.put("shrinkage", c.shrinkage());
              t.put("used", c.used());
              t.put("gain", DatasetFigures.gainFields(c.gain()));
              t.put("reason", c.reason());
              byTool.put(tool, t);
            });
    m.put("latency_by_tool", byTool);
    m.put("success_auc", report.successAuc());
    m.put("success_model_used", report.successModelUsed());
    m.put("success_gain", DatasetFigures.gainFields(report.successGain()));
    m.put("note", report.note());
    return m;
  }
}
