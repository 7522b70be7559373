package dev.parallax.analysis;

/**
 * How well the learned latency model predicted the scored tasks of an input, next to the per-tool
 * mean. Errors are mean absolute errors of the natural log of latency in seconds (0.1 ≈ 10% off);
 * {@code NaN} when no task was scored.
 *
 * @param trainingTasks tasks the model learned from
 * @param scoredTasks tasks it was scored on
 * @param maeLogLatency the learned predictor's error
 * @param baselineMaeLogLatency the error of predicting each task's tool's mean log latency over the
 *     training tasks (the mean over all training tasks for a tool never seen)
 * @param answeredByModel share of the scored tasks the trained model answered; the predictor falls
 *     back to its per-tool moving average for the others (and for all of them when its model did
 *     not beat that average on its own validation slice)
 * @param note why the model was not trained or not used, or {@code ""}
 */
public record ModelScore(
    int trainingTasks,
    int scoredTasks,
    double maeLogLatency,
    double baselineMaeLogLatency,
    double answeredByModel,
    String note) {}
