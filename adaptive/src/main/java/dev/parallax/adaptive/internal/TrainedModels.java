package dev.parallax.adaptive.internal;

import dev.parallax.adaptive.ModelReport;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * An immutable pair of trained models with what they were compared against. A model that did not
 * beat the baseline is kept (for files and reports) but not used.
 *
 * <p>Internal: may change at any time.
 *
 * @param latency the log-latency regression, or {@code null}
 * @param success the success classifier, or {@code null}
 * @param upperLogOffset added to the predicted log latency for the upper estimate (p90 residual)
 * @param tools the tools seen in training; other tools get the baseline
 * @param latencyTools the tools whose latency the model predicts (it beat the baseline for them)
 * @param report the held-out comparison
 */
public record TrainedModels(
    @Nullable Model<Regressor> latency,
    @Nullable Model<Label> success,
    double upperLogOffset,
    Set<String> tools,
    Set<String> latencyTools,
    ModelReport report) {

  /** Label of a successful call. */
  public static final String OK = "ok";

  /** Label of a failed call. */
  public static final String FAILED = "failed";

  /** Name of the regression target. */
  public static final String LOG_LATENCY = "log_latency";

  /** Nothing trained. */
  public static TrainedModels none(String note) {
    return new TrainedModels(null, null, 0, Set.of(), Set.of(), ModelReport.none(note));
  }

  /** Whether the latency model is used for this tool. */
  public boolean latencyFor(String tool) {
    return latency != null && latencyTools.contains(tool);
  }

  /** Whether the success model is used for this tool. */
  public boolean successFor(String tool) {
    return success != null && report.successModelUsed() && tools.contains(tool);
  }

  /** The predicted log latency, NaN if the model cannot answer. */
  public static double predictLogLatency(Model<Regressor> model, String[] names, double[] values) {
    try {
      ArrayExample<Regressor> example =
          new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, values);
      return model.predict(example).getOutput().getValues()[0];
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The predicted probability of success, NaN if the model cannot answer. */
  public static double predictSuccess(Model<Label> model, String[] names, double[] values) {
    try {
      ArrayExample<Label> example = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, values);
      Prediction<Label> p = model.predict(example);
      Label ok = p.getOutputScores().get(OK);
      if (ok == null) {
        return p.getOutput().getLabel().equals(OK) ? 1 : 0;
      }
      return ok.getScore();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
