package dev.parallax.core.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What was predicted for a call.
 *
 * @param latency expected latency
 * @param upperLatency a pessimistic latency (for example the 90th percentile)
 * @param successProbability chance that the call succeeds, in {@code [0, 1]}
 * @param source where the prediction came from (for example {@code model}, {@code baseline})
 */
public record Prediction(
    Duration latency, Duration upperLatency, double successProbability, String source) {

  /** Validates the fields. */
  public Prediction {
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(upperLatency, "upperLatency");
    Objects.requireNonNull(source, "source");
    if (!(successProbability >= 0 && successProbability <= 1)) {
      throw new IllegalArgumentException(
          "successProbability must be in [0, 1], was " + successProbability);
    }
  }
}
