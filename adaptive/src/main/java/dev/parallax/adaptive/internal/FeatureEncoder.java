package dev.parallax.adaptive.internal;

import dev.parallax.adaptive.CallFeatures;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a call's features and its tool's baseline into the named feature vector the models see.
 *
 * <ul>
 *   <li>{@code tool=NAME}: one-hot tool name (value 1, never scaled);
 *   <li>{@code x.NAME} and {@code log.NAME}: each numeric feature and its signed {@code log1p};
 *   <li>{@code ctx.in_flight}, {@code ctx.attempt}: {@code log1p} of calls in flight (the tool's
 *       average when unknown) and the attempt number;
 *   <li>{@code ctx.tool_latency}, {@code ctx.tool_error_rate}: the tool's recent average log
 *       latency and error rate (0 when the tool is new).
 * </ul>
 *
 * <p>Everything except the one-hot tool is numeric and may be scaled.
 *
 * <p>Internal: may change at any time.
 */
public final class FeatureEncoder {

  /** Prefix of the one-hot tool feature. */
  public static final String TOOL_PREFIX = "tool=";

  private FeatureEncoder() {}

  /** Whether a feature is numeric (to be scaled). */
  public static boolean isNumeric(String name) {
    return !name.startsWith(TOOL_PREFIX);
  }

  /** Encodes into a row-shaped pair of sorted names and values. */
  public static Encoded encode(CallFeatures features, ToolBaselines.@Nullable Stats baseline) {
    Map<String, Double> numeric = features.numeric();
    int n = 5 + 2 * numeric.size();
    String[] names = new String[n];
    double[] values = new double[n];
    int i = 0;
    names[i] = "ctx.attempt";
    values[i++] = Math.log1p(features.attempt());
    names[i] = "ctx.in_flight";
    double inFlight = features.inFlight();
    if (inFlight <= 0 && baseline != null) {
      inFlight = baseline.inFlight();
    }
    values[i++] = Math.log1p(inFlight);
    names[i] = "ctx.tool_error_rate";
    values[i++] = baseline == null ? 0 : baseline.errorRate();
    names[i] = "ctx.tool_latency";
    values[i++] = baseline == null ? 0 : baseline.logLatency();
    for (Map.Entry<String, Double> e : numeric.entrySet()) {
      double v = e.getValue();
      names[i] = "log." + e.getKey();
      values[i++] = Math.signum(v) * Math.log1p(Math.abs(v));
    }
    names[i] = TOOL_PREFIX + features.tool();
    values[i++] = 1;
    for (Map.Entry<String, Double> e : numeric.entrySet()) {
      names[i] = "x." + e.getKey();
      values[i++] = e.getValue();
    }
    return new Encoded(names, values);
  }

  /**
   * Encoded features (Tribuo sorts names itself; the order here does not matter).
   *
   * @param names feature names
   * @param values feature values
   */
  public record Encoded(String[] names, double[] values) {}
}
