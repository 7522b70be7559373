package dev.parallax.adaptive;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.PendingCall;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a prediction is made from: the tool, the call's numeric features and the conditions it runs
 * under. The tool's recent average latency and error rate are added by the predictor from its
 * baseline. Non-finite feature values are dropped.
 *
 * @param tool the tool's name
 * @param numeric the call's numeric features by name
 * @param inFlight calls running when it starts, itself included (0 if unknown)
 * @param attempt the attempt number, from 1 (0 if unknown)
 */
public record CallFeatures(String tool, Map<String, Double> numeric, int inFlight, int attempt) {

  /** Validates and copies; drops non-finite values. */
  public CallFeatures {
    Objects.requireNonNull(tool, "tool");
    TreeMap<String, Double> copy = new TreeMap<>();
    numeric.forEach(
        (k, v) -> {
          if (k != null && v != null && Double.isFinite(v)) {
            copy.put(k, v);
          }
        });
    numeric = java.util.Collections.unmodifiableMap(copy);
    inFlight = Math.max(0, inFlight);
    attempt = Math.max(0, attempt);
  }

  /** The features of a finished call as recorded. */
  public static CallFeatures of(ExecutionRecord record) {
    return new CallFeatures(record.tool(), record.features(), record.inFlight(), 1);
  }

  /**
   * The features of a queued call: the tool's features of its input (none for a derived call whose
   * input is not known yet, or if the tool's extractor throws).
   *
   * @param inFlight calls running now, or 0 if unknown
   */
  public static CallFeatures of(PendingCall call, int inFlight) {
    return new CallFeatures(
        call.tool().name(), inputFeatures(call.call()), inFlight, Math.max(1, call.attempt()));
  }

  private static <I> Map<String, Double> inputFeatures(ToolCall<I, ?> call) {
    I input = call.input();
    if (input == null) {
      return Map.of();
    }
    try {
      return call.tool().features(input);
    } catch (RuntimeException e) {
      return Map.of();
    }
  }
}
