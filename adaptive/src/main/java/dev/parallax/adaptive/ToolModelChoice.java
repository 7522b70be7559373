package dev.parallax.adaptive;

/**
 * Which latency model a tool got at the last training, and whether the gate let it answer.
 *
 * @param model the candidate chosen on the validation half of the tool's held-out calls, for
 *     example {@code "cart"} or {@code "linear_sgd-residual"} (a model of the deviation from the
 *     tool's moving average)
 * @param shrinkage how far the prediction moves from the tool's moving average toward the model's,
 *     in {@code (0, 1]} (1: the model's own prediction)
 * @param gain the chosen candidate's error over the moving average's on the tool's out-of-fold
 *     calls (with {@code folds(0)}: the test half of its held-out calls), with its interval
 * @param used whether the gate let the model answer for this tool
 * @param reason why not, or {@code ""}
 */
public record ToolModelChoice(
    String model, double shrinkage, Gain gain, boolean used, String reason) {}
