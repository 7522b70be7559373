package dev.parallax.adaptive.internal;

import dev.parallax.adaptive.ModelReport;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * Immutable trained models with what they were compared against: the latency candidates a tool uses
 * (by key), the success classifier, and per tool which latency candidate answers.
 *
 * <p>Internal: may change at any time.
 *
 * @param latencyModels the log-latency regressions some tool uses, by candidate key
 * @param success the success classifier, or {@code null}
 * @param upperLogOffset added to the predicted log latency for the upper estimate (p90 residual)
 * @param tools the tools seen in training; other tools get the baseline
 * @param latencyChoices per tool the model that predicts its latency (only tools that passed the
 *     gate)
 * @param neighbours per tool whose choice is a k-nearest-neighbour candidate, its index
 * @param report the held-out comparison
 */
public record TrainedModels(
    Map<String, Model<Regressor>> latencyModels,
    @Nullable Model<Label> success,
    double upperLogOffset,
    Set<String> tools,
    Map<String, Choice> latencyChoices,
    Map<String, KnnIndex> neighbours,
    ModelReport report) {

  /**
   * How one tool's latency is predicted.
   *
   * @param key the candidate's key in {@link #latencyModels}
   * @param residual whether the model predicts the deviation from the tool's moving average
   * @param shrinkage weight of the model against the moving average, in (0, 1]
   */
  public record Choice(String key, boolean residual, double shrinkage) {}

  /** Copies. */
  public TrainedModels {
    latencyModels = Map.copyOf(latencyModels);
    tools = Set.copyOf(tools);
    latencyChoices = Map.copyOf(latencyChoices);
    neighbours = Map.copyOf(neighbours);
  }

  /** The suffix of the key of a candidate trained on the deviation from the moving average. */
  public static final String RESIDUAL = "-residual";

  /** Whether a candidate key names a model of the deviation from the moving average. */
  public static boolean isResidual(String key) {
    return key.endsWith(RESIDUAL);
  }

  /** Label of a successful call. */
  public static final String OK = "ok";

  /** Label of a failed call. */
  public static final String FAILED = "failed";

  /** Name of the regression target. */
  public static final String LOG_LATENCY = "log_latency";

  /** Nothing trained. */
  public static TrainedModels none(String note) {
    return new TrainedModels(
        Map.of(), null, 0, Set.of(), Map.of(), Map.of(), ModelReport.none(note));
  }

  /** The latency model that answers for this tool, or {@code null} (the baseline answers). */
  public @Nullable Choice latencyFor(String tool) {
    return latencyChoices.get(tool);
  }

  /**
   * The predicted log latency of a call of {@code tool}, whose moving average is {@code base}, by
   * the tool's chosen model; NaN if the model cannot answer.
   */
  public double predictLogLatency(
      String tool, Choice choice, String[] names, double[] values, double base) {
    return predictLogLatency(tool, choice, names, values, base, null);
  }

  /**
   * What answers instead of a tool's in-memory k-nearest-neighbour index where it answers (the
   * history store's estimate, on the call path from a cache).
   */
  @FunctionalInterface
  public interface NeighbourAnswer {
    /**
     * The log latency to use for a call the in-memory index of {@code k} neighbours answered with
     * {@code inMemory} (finite).
     */
    double answer(int k, double inMemory);
  }

  /**
   * The same, with {@code store} (if not null) answering in place of the tool's in-memory
   * k-nearest-neighbour index wherever that index answers (within its reach).
   */
  public double predictLogLatency(
      String tool,
      Choice choice,
      String[] names,
      double[] values,
      double base,
      @Nullable NeighbourAnswer store) {
    double p;
    KnnIndex index = neighbours.get(tool);
    if (index != null && choice.key().startsWith(LatencySelection.KNN)) {
      p = index.predict(names, values);
      if (store != null && Double.isFinite(p)) {
        p = store.answer(index.k(), p);
      }
    } else {
      Model<Regressor> model = latencyModels.get(choice.key());
      if (model == null) {
        return Double.NaN;
      }
      p = predictLogLatency(model, names, values);
    }
    if (choice.residual()) {
      p += base;
    }
    return base + choice.shrinkage() * (p - base);
  }

  /**
   * The in-memory k-nearest-neighbour index that answers for {@code tool}, or {@code null} if the
   * tool's chosen model is not k nearest neighbours.
   */
  public @Nullable KnnIndex chosenNeighbours(String tool) {
    Choice choice = latencyChoices.get(tool);
    return choice != null && choice.key().startsWith(LatencySelection.KNN)
        ? neighbours.get(tool)
        : null;
  }

  /** Whether the success model is used for this tool. */
  public boolean successFor(String tool) {
    return success != null && report.successModelUsed() && tools.contains(tool);
  }

  /** The predicted log latency, NaN if the model cannot answer. */
  public static double predictLogLatency(Model<Regressor> model, String[] names, double[] values) {
    try {
      ArrayExample<Regressor> example =
          new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, values);
      return model.predict(example).getOutput().getValues()[0];
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The predicted probability of success, NaN if the model cannot answer. */
  public static double predictSuccess(Model<Label> model, String[] names, double[] values) {
    try {
      ArrayExample<Label> example = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, values);
      Prediction<Label> p = model.predict(example);
      Label ok = p.getOutputScores().get(OK);
      if (ok == null) {
        return p.getOutput().getLabel().equals(OK) ? 1 : 0;
      }
      return ok.getScore();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
