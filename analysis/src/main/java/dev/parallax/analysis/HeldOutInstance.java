package dev.parallax.analysis;

import dev.parallax.analysis.internal.MakespanBounds;
import dev.parallax.analysis.internal.PairedErrors;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the latency model, trained on the other instances of an application, did on every task of one
 * held-out instance, next to the per-tool mean trained on the same tasks; and the makespans the
 * simulator gives for that instance under FIFO, learned and oracle priority. Errors are mean
 * absolute errors of the natural log of latency in seconds. Immutable and thread-safe. Built by
 * {@link LeaveOneInstanceOut}.
 */
public final class HeldOutInstance {

  /** Differences below this are floating-point rounding, not a worse model. */
  private static final double ROUNDING = 1e-9;

  private final String file;
  private final int trainingTasks;
  private final int rows;
  private final double modelMae;
  private final double perToolMeanMae;
  private final double ratio;
  private final double ratioLow;
  private final double ratioHigh;
  private final double answeredByModel;
  private final SimulatedMakespans makespans;
  private final MakespanBounds.Bounds bounds;
  private final Duration bestKnown;
  private final String note;
  private final PairedErrors errors;
  private final @Nullable NeighbourComparison neighbours;

  HeldOutInstance(
      String file,
      int trainingTasks,
      int rows,
      double modelMae,
      double perToolMeanMae,
      double[] ratioInterval,
      double answeredByModel,
      SimulatedMakespans makespans,
      MakespanBounds.Bounds bounds,
      Duration bestKnown,
      String note,
      PairedErrors errors,
      @Nullable NeighbourComparison neighbours) {
    this.neighbours = neighbours;
    this.file = Objects.requireNonNull(file, "file");
    this.trainingTasks = trainingTasks;
    this.rows = rows;
    this.modelMae = modelMae;
    this.perToolMeanMae = perToolMeanMae;
    this.ratio = modelMae / perToolMeanMae;
    this.ratioLow = ratioInterval[0];
    this.ratioHigh = ratioInterval[1];
    this.answeredByModel = answeredByModel;
    this.makespans = Objects.requireNonNull(makespans, "makespans");
    this.bounds = Objects.requireNonNull(bounds, "bounds");
    this.bestKnown = Objects.requireNonNull(bestKnown, "bestKnown");
    this.note = Objects.requireNonNull(note, "note");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /** The per-row errors, for intervals over several evaluations. */
  PairedErrors errors() {
    return errors;
  }

  /** The held-out instance's file, as given. */
  public String file() {
    return file;
  }

  /** Tasks of the other instances the model learned from. */
  public int trainingTasks() {
    return trainingTasks;
  }

  /** Tasks scored: every task of this instance. */
  public int rows() {
    return rows;
  }

  /** The model's MAE of log latency. */
  public double modelMae() {
    return modelMae;
  }

  /** The per-tool mean's MAE of log latency (the overall mean for a tool never seen). */
  public double perToolMeanMae() {
    return perToolMeanMae;
  }

  /** {@link #modelMae()} / {@link #perToolMeanMae()}: below 1, the model is better. */
  public double ratio() {
    return ratio;
  }

  /** Lower end of the confidence interval of {@link #ratio()} (paired bootstrap over rows). */
  public double ratioLow() {
    return ratioLow;
  }

  /** Upper end of the confidence interval of {@link #ratio()}. */
  public double ratioHigh() {
    return ratioHigh;
  }

  /**
   * Whether the model is worse than the mean beyond the interval: {@link #ratioLow()} above 1 by
   * more than floating-point rounding (1e-9; where the model never answered, its fallback average
   * and the per-tool mean are the same number computed in two ways).
   */
  public boolean worseBeyondInterval() {
    return ratioLow > 1 + ROUNDING;
  }

  /** Share of the rows the trained model answered (the predictor's baseline answered the rest). */
  public double answeredByModel() {
    return answeredByModel;
  }

  /** Simulated makespans of this instance at the evaluation's slots. */
  public SimulatedMakespans makespans() {
    return makespans;
  }

  /** Learned-priority makespan over FIFO's: below 1, learned priority is faster. */
  public double makespanRatio() {
    return (double) makespans.learned().toNanos() / makespans.fifo().toNanos();
  }

  /**
   * Oracle-priority makespan (longest path first with the true durations) over FIFO's: how much any
   * predictor could gain on this instance at these slots.
   */
  public double oracleMakespanRatio() {
    return (double) makespans.oracle().toNanos() / makespans.fifo().toNanos();
  }

  /**
   * The k-nearest-neighbour rule over the history store's similarity search on this instance, or
   * {@code null} unless asked for ({@link LeaveOneInstanceOut.Builder#storeNeighbours(int)}).
   */
  public @Nullable NeighbourComparison neighbours() {
    return neighbours;
  }

  /**
   * A lower bound on the makespan of any schedule of this instance at the evaluation's slots, with
   * the true durations: the largest of {@link #criticalPath()}, {@link #workPerSlot()} and a window
   * bound (for a set of tasks, the longest chain before any of them, plus their work per slot, plus
   * the longest chain after any of them). No scheduler, whatever it knows, finishes sooner.
   */
  public Duration lowerBound() {
    return bounds.lowerBound();
  }

  /** The longest chain of true durations through the instance's dependencies. */
  public Duration criticalPath() {
    return bounds.criticalPath();
  }

  /** The instance's total work (sum of true durations) divided by the slots. */
  public Duration workPerSlot() {
    return bounds.workPerSlot();
  }

  /** FIFO's makespan over {@link #lowerBound()}: how much room any scheduler has, at least 1. */
  public double fifoOverLowerBound() {
    return (double) makespans.fifo().toNanos() / bounds.lowerBound().toNanos();
  }

  /**
   * {@link #lowerBound()} over FIFO's makespan: the smallest makespan ratio against FIFO that any
   * scheduler could reach on this instance (the bound need not be reachable).
   */
  public double lowerBoundOverFifo() {
    return (double) bounds.lowerBound().toNanos() / makespans.fifo().toNanos();
  }

  /**
   * The shortest makespan found for this instance at the evaluation's slots by searching
   * list-scheduling priorities with the true durations (forward-backward improvement from the
   * critical-path order, restarts with a fixed seed): a schedule that exists, so the smallest
   * achievable makespan lies between {@link #lowerBound()} and this.
   */
  public Duration bestKnownMakespan() {
    return bestKnown;
  }

  /** {@link #bestKnownMakespan()} over FIFO's makespan. */
  public double bestKnownOverFifo() {
    return (double) bestKnown.toNanos() / makespans.fifo().toNanos();
  }

  /**
   * Whether a makespan of {@code goal} x FIFO's is not excluded by {@link #lowerBound()}; {@code
   * false} means no scheduler can reach it on this instance.
   */
  public boolean makespanGoalAttainable(double goal) {
    return lowerBoundOverFifo() <= goal;
  }

  /** Why the model was not trained or not used, or {@code ""}. */
  public String note() {
    return note;
  }

  @Override
  public String toString() {
    return "HeldOutInstance[" + file + ", rows=" + rows + ", ratio=" + ratio + "]";
  }
}
