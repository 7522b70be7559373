package dev.parallax.adaptive;

/**
 * How a trained pair of models compared with the per-tool moving-average baseline on the held-out
 * slice (the newest records of the window). A model is used only if it beat the baseline there.
 * Error figures are {@code NaN} when they could not be computed.
 *
 * @param trainRows rows the models were trained on
 * @param heldOutRows rows they were evaluated on
 * @param latencyMaeModel mean absolute error of the model's log latency (natural log, seconds)
 * @param latencyMaeBaseline the same for the baseline
 * @param latencyModelUsed whether the latency model beat the baseline and is used
 * @param successBrierModel Brier score (mean squared error) of the model's success probability
 * @param successBrierBaseline the same for the baseline
 * @param successAuc the model's AUC on the held-out slice ({@code NaN} if one class only)
 * @param successModelUsed whether the success model beat the baseline and is used
 * @param note why a model is missing or was not used, or {@code ""}
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
    String note) {

  /** A report for when nothing was trained. */
  public static ModelReport none(String note) {
    return new ModelReport(
        0, 0, Double.NaN, Double.NaN, false, Double.NaN, Double.NaN, Double.NaN, false, note);
  }
}
