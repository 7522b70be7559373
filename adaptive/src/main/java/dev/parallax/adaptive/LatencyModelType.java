package dev.parallax.adaptive;

/**
 * A Tribuo regression that may predict log latency. Each type given to {@link
 * AdaptivePredictor.Builder#latencyModels} is trained twice at every retrain: on the log latency
 * itself and on its deviation from the tool's moving average (which follows a level shift at once);
 * each tool then uses the candidate that did best on its held-out calls, if it passes the gate.
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
  RANDOM_FOREST
}
