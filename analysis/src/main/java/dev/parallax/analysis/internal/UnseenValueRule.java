package dev.parallax.analysis.internal;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A trained predictor whose model does not answer for a call that carries a categorical value its
 * tool's training tasks never carried (see {@link Categories}): the tool's mean log latency over
 * the training tasks answers instead, with source {@code baseline (unseen NAME=VALUE)}. Every model
 * type is treated alike. Other calls get the predictor's own answer. Thread-safe if the predictor
 * is. Internal; may change at any time.
 */
final class UnseenValueRule implements Predictor {

  private final AdaptivePredictor predictor;
  private final Categories seen;
  private final Map<String, Double> toolMeanLog;

  /**
   * @param toolMeanLog each training tool's mean of ln(latency in seconds)
   */
  UnseenValueRule(AdaptivePredictor predictor, Categories seen, Map<String, Double> toolMeanLog) {
    this.predictor = Objects.requireNonNull(predictor, "predictor");
    this.seen = Objects.requireNonNull(seen, "seen");
    this.toolMeanLog = Map.copyOf(toolMeanLog);
  }

  @Override
  public Prediction predict(PendingCall call) {
    CallFeatures f = CallFeatures.of(call, 0);
    return outsideReach(f.tool(), f.numeric(), predictor.predict(call));
  }

  /** The prediction for a task of {@code tool} with {@code features}. */
  Prediction predict(String tool, Map<String, Double> features) {
    return outsideReach(tool, features, predictor.predict(new CallFeatures(tool, features, 0, 1)));
  }

  private Prediction outsideReach(String tool, Map<String, Double> features, Prediction p) {
    String unseen = seen.unseen(tool, features);
    Double meanLog = toolMeanLog.get(tool);
    if (unseen == null || meanLog == null) {
      return p;
    }
    Duration mean = Json.seconds(Math.exp(meanLog));
    Duration upper = p.upperLatency().compareTo(mean) > 0 ? p.upperLatency() : mean;
    return new Prediction(
        mean,
        upper,
        p.successProbability(),
        AdaptivePredictor.BASELINE + " (unseen " + unseen + ")");
  }
}
