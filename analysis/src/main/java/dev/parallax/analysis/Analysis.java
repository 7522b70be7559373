package dev.parallax.analysis;

import java.util.List;

/**
 * What an {@link Analyzer} found: one {@link InputAnalysis} per input, in input order, and the
 * settings it ran with. Immutable and thread-safe.
 */
public final class Analysis {

  private final List<InputAnalysis> inputs;
  private final int slots;
  private final TrainingSplit trainingSplit;
  private final long seed;
  private final FeatureSet features;
  private final int listenerFailures;

  Analysis(
      List<InputAnalysis> inputs,
      int slots,
      TrainingSplit trainingSplit,
      long seed,
      FeatureSet features,
      int listenerFailures) {
    this.inputs = List.copyOf(inputs);
    this.slots = slots;
    this.trainingSplit = trainingSplit;
    this.seed = seed;
    this.features = features;
    this.listenerFailures = listenerFailures;
  }

  /** One analysis per input, in the order the inputs were given. */
  public List<InputAnalysis> inputs() {
    return inputs;
  }

  /** The simulated concurrency, also the {@code N} of the lower bound. */
  public int slots() {
    return slots;
  }

  /** What the latency model learned from before it was scored on each input. */
  public TrainingSplit trainingSplit() {
    return trainingSplit;
  }

  /** The seed of the model training. */
  public long seed() {
    return seed;
  }

  /**
   * Which recorded features the model learned from; {@link FeatureSet#ALL} means post-hoc ones too,
   * and a report should say so.
   */
  public FeatureSet features() {
    return features;
  }

  /** How many times the {@link AnalysisListener} threw (each was logged and ignored). */
  public int listenerFailures() {
    return listenerFailures;
  }

  @Override
  public String toString() {
    return "Analysis["
        + inputs.size()
        + " inputs, slots="
        + slots
        + ", "
        + trainingSplit
        + ", "
        + features
        + "]";
  }
}
