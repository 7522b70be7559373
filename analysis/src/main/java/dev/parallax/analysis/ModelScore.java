package dev.parallax.analysis;

import java.util.Objects;

/**
 * How well the learned latency model predicted the scored tasks of an input, next to the per-tool
 * mean. Errors are mean absolute errors of the natural log of latency in seconds (0.1 ≈ 10% off);
 * {@code NaN} when no task was scored. Immutable and thread-safe; a value (equal when every figure
 * is). Built by the {@link Analyzer}; a class rather than a record so that it can gain figures.
 */
public final class ModelScore {

  private final int trainingTasks;
  private final int scoredTasks;
  private final double maeLogLatency;
  private final double baselineMaeLogLatency;
  private final double answeredByModel;
  private final String note;

  ModelScore(
      int trainingTasks,
      int scoredTasks,
      double maeLogLatency,
      double baselineMaeLogLatency,
      double answeredByModel,
      String note) {
    this.trainingTasks = trainingTasks;
    this.scoredTasks = scoredTasks;
    this.maeLogLatency = maeLogLatency;
    this.baselineMaeLogLatency = baselineMaeLogLatency;
    this.answeredByModel = answeredByModel;
    this.note = Objects.requireNonNull(note, "note");
  }

  /** Tasks the model learned from. */
  public int trainingTasks() {
    return trainingTasks;
  }

  /** Tasks it was scored on. */
  public int scoredTasks() {
    return scoredTasks;
  }

  /** The learned predictor's error. */
  public double maeLogLatency() {
    return maeLogLatency;
  }

  /**
   * The error of predicting each task's tool's mean log latency over the training tasks (the mean
   * over all training tasks for a tool never seen).
   */
  public double baselineMaeLogLatency() {
    return baselineMaeLogLatency;
  }

  /**
   * Share of the scored tasks the trained model answered; the predictor falls back to its per-tool
   * moving average for the others (and for all of them when its model did not beat that average on
   * its own validation slice).
   */
  public double answeredByModel() {
    return answeredByModel;
  }

  /** Why the model was not trained or not used, or {@code ""}. */
  public String note() {
    return note;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelScore s
        && trainingTasks == s.trainingTasks
        && scoredTasks == s.scoredTasks
        && Double.compare(maeLogLatency, s.maeLogLatency) == 0
        && Double.compare(baselineMaeLogLatency, s.baselineMaeLogLatency) == 0
        && Double.compare(answeredByModel, s.answeredByModel) == 0
        && note.equals(s.note);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        trainingTasks, scoredTasks, maeLogLatency, baselineMaeLogLatency, answeredByModel, note);
  }

  @Override
  public String toString() {
    return "ModelScore[trainingTasks="
        + trainingTasks
        + ", scoredTasks="
        + scoredTasks
        + ", maeLogLatency="
        + maeLogLatency
        + ", baselineMaeLogLatency="
        + baselineMaeLogLatency
        + ", answeredByModel="
        + answeredByModel
        + ", note="
        + note
        + "]";
  }
}
