package dev.parallax.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * Predicts a call's latency and chance of success when it is queued. The default predicts nothing.
 */
@FunctionalInterface
public interface Predictor {

  /** Predicts nothing. */
  Predictor NONE = call -> null;

  /** The prediction for the call, or {@code null} when there is none. Must be fast. */
  @Nullable Prediction predict(PendingCall call);
}
