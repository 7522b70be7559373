package dev.parallax.analysis;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A leave-one-instance-out evaluation of one application: one {@link HeldOutInstance} per instance,
 * in input order, and their averages (each instance weighs the same, whatever its size). Immutable
 * and thread-safe. Built by {@link LeaveOneInstanceOut}.
 */
public final class LoioEvaluation {

  private final String application;
  private final List<HeldOutInstance> instances;
  private final double averageRatioLow;
  private final double averageRatioHigh;
  private final FeatureSet features;
  private final int slots;
  private final double level;
  private final @Nullable NeighbourComparison neighbours;

  LoioEvaluation(
      String application,
      List<HeldOutInstance> instances,
      double[] averageRatioInterval,
      FeatureSet features,
      int slots,
      double level,
      @Nullable NeighbourComparison neighbours) {
    this.neighbours = neighbours;
    this.application = Objects.requireNonNull(application, "application");
    this.instances = List.copyOf(instances);
    this.averageRatioLow = averageRatioInterval[0];
    this.averageRatioHigh = averageRatioInterval[1];
    this.features = Objects.requireNonNull(features, "features");
    this.slots = slots;
    this.level = level;
  }

  /** The application's name, as given. */
  public String application() {
    return application;
  }

  /** One result per held-out instance, in input order. */
  public List<HeldOutInstance> instances() {
    return instances;
  }

  /** Rows scored over all instances (every task of every instance). */
  public int rows() {
    return instances.stream().mapToInt(HeldOutInstance::rows).sum();
  }

  /** The model's MAE of log latency, averaged over instances. */
  public double modelMae() {
    return instances.stream().mapToDouble(HeldOutInstance::modelMae).average().orElse(Double.NaN);
  }

  /** The per-tool mean's MAE of log latency, averaged over instances. */
  public double perToolMeanMae() {
    return instances.stream()
        .mapToDouble(HeldOutInstance::perToolMeanMae)
        .average()
        .orElse(Double.NaN);
  }

  /** The instances' {@link HeldOutInstance#ratio()}s averaged: the headline figure. */
  public double averageRatio() {
    return instances.stream().mapToDouble(HeldOutInstance::ratio).average().orElse(Double.NaN);
  }

  /** Lower end of the confidence interval of {@link #averageRatio()} (stratified bootstrap). */
  public double averageRatioLow() {
    return averageRatioLow;
  }

  /** Upper end of the confidence interval of {@link #averageRatio()}. */
  public double averageRatioHigh() {
    return averageRatioHigh;
  }

  /** Instances on which the model is worse than the mean beyond the interval. */
  public int worseBeyondInterval() {
    return (int) instances.stream().filter(HeldOutInstance::worseBeyondInterval).count();
  }

  /** Share of the scored rows the trained model answered, averaged over instances. */
  public double answeredByModel() {
    return instances.stream()
        .mapToDouble(HeldOutInstance::answeredByModel)
        .average()
        .orElse(Double.NaN);
  }

  /** The instances' learned-priority over FIFO makespan ratios, averaged. */
  public double makespanRatio() {
    return instances.stream()
        .mapToDouble(HeldOutInstance::makespanRatio)
        .average()
        .orElse(Double.NaN);
  }

  /** The instances' oracle over FIFO makespan ratios, averaged: the most any predictor can gain. */
  public double oracleMakespanRatio() {
    return instances.stream()
        .mapToDouble(HeldOutInstance::oracleMakespanRatio)
        .average()
        .orElse(Double.NaN);
  }

  /**
   * The k-nearest-neighbour rule over the history store's similarity search, ratios averaged over
   * the instances, or {@code null} unless asked for ({@link
   * LeaveOneInstanceOut.Builder#storeNeighbours(int)}).
   */
  public @Nullable NeighbourComparison neighbours() {
    return neighbours;
  }

  /** The instances' {@link HeldOutInstance#fifoOverLowerBound()}s averaged. */
  public double fifoOverLowerBound() {
    return instances.stream()
        .mapToDouble(HeldOutInstance::fifoOverLowerBound)
        .average()
        .orElse(Double.NaN);
  }

  /**
   * The instances' {@link HeldOutInstance#lowerBoundOverFifo()}s averaged: no scheduler's average
   * makespan ratio against FIFO can be lower.
   */
  public double lowerBoundOverFifo() {
    return instances.stream()
        .mapToDouble(HeldOutInstance::lowerBoundOverFifo)
        .average()
        .orElse(Double.NaN);
  }

  /** The instances' {@link HeldOutInstance#bestKnownOverFifo()}s averaged. */
  public double bestKnownOverFifo() {
    return instances.stream()
        .mapToDouble(HeldOutInstance::bestKnownOverFifo)
        .average()
        .orElse(Double.NaN);
  }

  /**
   * How many instances' lower bound excludes a makespan of {@code goal} x FIFO's: on those no
   * scheduler reaches the goal.
   */
  public int makespanGoalUnattainable(double goal) {
    return (int) instances.stream().filter(h -> !h.makespanGoalAttainable(goal)).count();
  }

  /** The features the model used. */
  public FeatureSet features() {
    return features;
  }

  /** Slots of the simulations. */
  public int slots() {
    return slots;
  }

  /** The confidence level of the intervals, e.g. 0.95. */
  public double level() {
    return level;
  }

  @Override
  public String toString() {
    return "LoioEvaluation["
        + application
        + ", "
        + instances.size()
        + " instances, averageRatio="
        + averageRatio()
        + ", makespanRatio="
        + makespanRatio()
        + "]";
  }
}
