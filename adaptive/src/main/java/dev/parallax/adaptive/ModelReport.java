package dev.parallax.adaptive;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a trained pair of models compared with the per-tool moving-average baseline on the held-out
 * slice (the newest records of the window). A model answers only where it beat the baseline there
 * with confidence (the gate is described on {@link AdaptivePredictor}). Error figures are {@code
 * NaN} when they could not be computed.
 *
 * @param trainRows rows the success classifier was trained on (the window minus the held-out rows;
 *     out-of-fold latency models are refitted on the whole window)
 * @param heldOutRows rows the success classifier was evaluated on
 * @param latencyMaeModel mean absolute error of log latency (natural log, seconds) on the rows the
 *     latency gate scored (every out-of-fold row of the tools seen in training; with {@code
 *     folds(0)}, the test half of the held-out rows, answering as the predictor now does (the model
 *     for the tools it passed the gate for, the moving average for the others)
 * @param latencyMaeBaseline the same for the moving average alone
 * @param latencyModelUsed whether the latency model answers for at least one tool
 * @param successBrierModel Brier score (mean squared error) of the model's success probability
 * @param successBrierBaseline the same for the baseline
 * @param successAuc the model's AUC on the held-out slice ({@code NaN} if one class only)
 * @param successModelUsed whether the success model beat the baseline with confidence and is used
 * @param note why a model is missing or was not used, or {@code ""}
 * @param latencyGain {@code latencyMaeModel / latencyMaeBaseline} with its interval and rows
 * @param successGain the success model's Brier score over the baseline's, with its interval and
 *     rows, whether or not it is used
 * @param latencyByTool each trained tool's latency model choice and gate decision
 */
public record ModelReport(
    int trainRows,
    int heldOutRows,
    double latencyMaeModel,
    double latencyMaeBaseline,
    boolean latencyModelUsed,
    double successBrierModel,
    double successBrierBaseline,
    double successAuc,
    boolean successModelUsed,
    String note,
    Gain latencyGain,
    Gain successGain,
    Map<String, ToolModelChoice> latencyByTool) {

  /** Copies the map (sorted by tool). */
  public ModelReport {
    latencyByTool = Collections.unmodifiableMap(new TreeMap<>(latencyByTool));
  }

  /** A report for when nothing was trained. */
  public static ModelReport none(String note) {
    return new ModelReport(
        0,
        0,
        Double.NaN,
        Double.NaN,
        false,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        false,
        note,
        Gain.none(),
        Gain.none(),
        Map.of());
  }
}
