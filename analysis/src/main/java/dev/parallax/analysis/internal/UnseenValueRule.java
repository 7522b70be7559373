package dev.parallax.analysis.internal;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A trained predictor as analysis uses it: the features hidden from the model are removed from each
 * call before it is asked; and, if the rule is on, a call that carries a categorical value its
 * tool's training tasks never carried (see {@link Categories}) is not answered by the model but by
 * the tool's mean log latency over the training tasks, with source {@code baseline (unseen
 * NAME=VALUE)}. Every model type is treated alike. Other calls get the predictor's own answer.
 * Thread-safe if the predictor is. Internal; may change at any time.
 */
final class UnseenValueRule implements Predictor {

  private final AdaptivePredictor predictor;
  private final Categories seen;
  private final Map<String, Double> toolMeanLog;
  private final Predicate<String> hidden;
  private final boolean enabled;

  /**
   * @param toolMeanLog each training tool's mean of ln(latency in seconds)
   * @param hidden the features the model did not learn from (removed before it is asked)
   * @param enabled whether the rule applies
   */
  UnseenValueRule(
      AdaptivePredictor predictor,
      Categories seen,
      Map<String, Double> toolMeanLog,
      Predicate<String> hidden,
      boolean enabled) {
    this.predictor = Objects.requireNonNull(predictor, "predictor");
    this.seen = Objects.requireNonNull(seen, "seen");
    this.toolMeanLog = Map.copyOf(toolMeanLog);
    this.hidden = Objects.requireNonNull(hidden, "hidden");
    this.enabled = enabled;
  }

  /** The features of {@code features} the model may see. */
  static Map<String, Double> visible(Map<String, Double> features, Predicate<String> hidden) {
    if (features.keySet().stream().noneMatch(hidden)) {
      return features;
    }
    Map<String, Double> kept = new TreeMap<>(features);
    kept.keySet().removeIf(hidden);
    return kept;
  }

  @Override
  public Prediction predict(PendingCall call) {
    // the predictor's own predict(PendingCall) asks CallFeatures.of(call, inFlight), and analysis
    // leaves inFlight at its default (0)
    CallFeatures f = CallFeatures.of(call, 0);
    return predict(f.tool(), f.numeric(), f.attempt());
  }

  /** The prediction for a task of {@code tool} with {@code features}. */
  Prediction predict(String tool, Map<String, Double> features) {
    return predict(tool, features, 1);
  }

  private Prediction predict(String tool, Map<String, Double> features, int attempt) {
    Prediction p = predictor.predict(new CallFeatures(tool, visible(features, hidden), 0, attempt));
    if (!enabled) {
      return p;
    }
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
