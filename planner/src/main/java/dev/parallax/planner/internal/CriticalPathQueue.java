package dev.parallax.planner.internal;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.planner.graph.CriticalPath;
import dev.parallax.planner.graph.DependencyGraph;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * The ready queue of one run under critical-path scheduling (see {@code CriticalPathScheduling}).
 * Used from the run's serialized events only, so not thread-safe.
 *
 * <p>Upward ranks ({@link CriticalPath#upwardRanks}): {@code rank(i) = estimate(i) + max(rank(j)
 * for j depending on i)}. Estimates of calls without a prediction are filled in per tool (measured
 * mean, else predicted mean), else with the median prediction, else 0. Each tool has a correction
 * factor, measured / estimated over its finished calls; ranks are recomputed lazily, at the next
 * {@link #poll}, after a factor or a measured mean moved past the threshold.
 *
 * @param <C> the engine's type of call
 */
public final class CriticalPathQueue<C extends PendingCall> implements ReadyQueue<C> {

  /** An estimate that is not known. */
  public static final long UNKNOWN = -1;

  private static final double MIN_FACTOR = 0.1;
  private static final double MAX_FACTOR = 10;

  private final long[] predicted;
  private final int[] toolOf;
  private final DependencyGraph graph;
  private final double[] rank;
  private final ToolStats[] tools;
  private final double threshold;
  private final double fallbackEstimate;
  private PriorityQueue<C> ready;
  private boolean dirty;

  public CriticalPathQueue(List<? extends PendingCall> calls, long[] predicted, double threshold) {
    int n = calls.size();
    this.predicted = predicted.clone();
    this.threshold = threshold;
    this.toolOf = new int[n];
    Map<String, Integer> toolIds = new HashMap<>();
    for (int i = 0; i < n; i++) {
      PendingCall call = calls.get(i);
      toolOf[i] = toolIds.computeIfAbsent(call.call().tool().name(), k -> toolIds.size());
    }
    this.tools = new ToolStats[toolIds.size()];
    for (int t = 0; t < tools.length; t++) {
      tools[t] = new ToolStats();
    }
    for (int i = 0; i < n; i++) {
      if (predicted[i] != UNKNOWN) {
        tools[toolOf[i]].addPrediction(predicted[i]);
      }
    }
    this.fallbackEstimate = medianKnown(predicted);
    this.graph = DependencyGraph.of(calls, PendingCall::callId, PendingCall::dependsOn);
    if (graph.hasCycle()) {
      throw new IllegalArgumentException("the calls' dependencies form a cycle");
    }
    this.rank = new double[n];
    computeRanks();
    this.ready = new PriorityQueue<>(Math.max(1, n), byRank());
  }

  @Override
  public void add(C call) {
    ready.add(call);
  }

  @Override
  public @Nullable C poll() {
    if (dirty) {
      dirty = false;
      computeRanks();
      PriorityQueue<C> reordered = new PriorityQueue<>(ready.size() + 1, byRank());
      reordered.addAll(ready);
      ready = reordered;
    }
    return ready.poll();
  }

  @Override
  public void onFinished(C call, CallResult<?> result) {
    if (result.startedAt() == null) {
      return; // skipped or cancelled before starting: nothing measured
    }
    long measured = Duration.between(result.startedAt(), result.finishedAt()).toNanos();
    int i = call.index();
    if (i < 0 || i >= predicted.length) {
      return;
    }
    if (tools[toolOf[i]].measured(predicted[i], measured, threshold)) {
      dirty = true;
    }
  }

  private Comparator<C> byRank() {
    return (a, b) -> {
      int c = Double.compare(rank[b.index()], rank[a.index()]);
      return c != 0 ? c : Integer.compare(a.index(), b.index());
    };
  }

  private void computeRanks() {
    CriticalPath.upwardRanks(graph, this::estimate, rank);
  }

  private double estimate(int i) {
    ToolStats tool = tools[toolOf[i]];
    if (predicted[i] != UNKNOWN) {
      return predicted[i] * tool.appliedFactor;
    }
    if (tool.appliedMeasuredMean > 0) {
      return tool.appliedMeasuredMean;
    }
    if (tool.predictions > 0) {
      return tool.predictedSum / tool.predictions;
    }
    return fallbackEstimate;
  }

  private static double medianKnown(long[] predicted) {
    long[] known = Arrays.stream(predicted).filter(p -> p != UNKNOWN).sorted().toArray();
    return known.length == 0 ? 0 : known[known.length / 2];
  }

  /** What the run learned about one tool. */
  private static final class ToolStats {
    double predictedSum;
    int predictions;
    double estimatedDone;
    double measuredDone;
    double unpredictedSum;
    int unpredictedDone;
    double appliedFactor = 1;
    double appliedMeasuredMean;

    void addPrediction(long nanos) {
      predictedSum += nanos;
      predictions++;
    }

    /** Records a finished call; returns whether the ranks should be recomputed. */
    boolean measured(long predicted, long measured, double threshold) {
      if (predicted != UNKNOWN) {
        if (predicted == 0) {
          return false;
        }
        estimatedDone += predicted;
        measuredDone += measured;
        double factor = Math.clamp(measuredDone / estimatedDone, MIN_FACTOR, MAX_FACTOR);
        if (movedPast(appliedFactor, factor, threshold)) {
          appliedFactor = factor;
          return true;
        }
        return false;
      }
      unpredictedSum += measured;
      unpredictedDone++;
      double mean = unpredictedSum / unpredictedDone;
      if (appliedMeasuredMean == 0 || movedPast(appliedMeasuredMean, mean, threshold)) {
        appliedMeasuredMean = mean;
        return true;
      }
      return false;
    }

    private static boolean movedPast(double applied, double now, double threshold) {
      return Math.abs(now - applied) > threshold * applied;
    }
  }
}
