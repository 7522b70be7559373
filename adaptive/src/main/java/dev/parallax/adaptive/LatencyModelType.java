package dev.parallax.adaptive;

/**
 * A regression that may predict log latency (Tribuo's, and k nearest neighbours). Each Tribuo type
 * given to {@link AdaptivePredictor.Builder#latencyModels} is trained twice at every retrain: on
 * the log latency itself and on its deviation from the tool's moving average (which follows a level
 * shift at once); each tool then uses the candidate that did best on its held-out calls, if it
 * passes the gate.
 */
public enum LatencyModelType {
  /** Linear regression trained by SGD (AdaGrad); about 1 µs per prediction. */
  LINEAR_SGD,
  /** A CART regression tree (depth 8); captures steps, saturation and interactions. */
  CART,
  /**
   * A random forest of 10 CART trees (depth 8, bagged, a random half of the features per split):
   * smoother than one tree; about 5× the training time of one tree, and a median prediction of
   * about 5 µs against 1 µs ({@code PredictionBenchmark}). Opt-in.
   */
  RANDOM_FOREST,
  /**
   * k nearest neighbours over each tool's own past calls (k = 5 and k = 20 both tried): the mean
   * log latency of the tool's training calls whose features are closest (standardised {@code log1p}
   * of the call's numeric features). Held in memory per tool, at most 512 calls, built at each
   * retrain; a prediction costs a few microseconds ({@code PredictionBenchmark}). Trained once, not
   * on the moving average's deviation. In the default candidates.
   */
  NEAREST_NEIGHBOURS,
  /**
   * Gradient boosting of CART regression trees, pure Java: a depth-4 tree on the target, then 9
   * depth-4 trees each on the remaining residual, added with a learning rate of 0.5 (held as one
   * Tribuo ensemble model, saved like the others). About 10× the training time of one tree; a
   * prediction costs about as much as a random forest's ({@code PredictionBenchmark}). Opt-in.
   */
  GRADIENT_BOOSTING
}
