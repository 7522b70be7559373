package dev.parallax.adaptive;

/** Which Tribuo regression predicts log latency. */
public enum LatencyModelType {
  /** Linear regression trained by SGD (AdaGrad); about 2 µs per prediction. The default. */
  LINEAR_SGD,
  /** A CART regression tree; captures non-linear effects, slower to train. */
  CART
}
