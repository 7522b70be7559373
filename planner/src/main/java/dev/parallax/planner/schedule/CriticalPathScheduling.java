package dev.parallax.planner.schedule;

import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.planner.internal.CriticalPathQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the ready call with the longest predicted path to the end of its graph first.
 *
 * <p>Each call's <em>upward rank</em> is its estimated duration plus the largest upward rank among
 * the calls that depend on it, so a call's rank is the predicted length of the longest chain of
 * work it still holds back. Among ready calls the highest rank starts first, ties in submission
 * order. For independent calls the rank is the call's own estimate: when more calls are ready than
 * may run, the longest predicted starts first (longest processing time first). When fewer calls are
 * ready than slots, every ready call starts at once and the order does not matter, so this policy
 * is never worse than submission order there.
 *
 * <p>A call that already carries a prediction ({@link PendingCall#prediction()}: the executor's
 * predictor answered for it when the run was made) is estimated from it, so that the predictor is
 * asked once per call. Otherwise estimates come from the predictors in the order given: the first
 * that answers for a call wins (typically a learned model, then a per-tool moving average). A call
 * no predictor answers for is estimated from other calls of its tool (measured in this run, else
 * predicted), else from the median estimate of the run; when nothing is known at all every rank is
 * equal and the order is submission order. A predictor that throws counts as no answer.
 *
 * <p>Ranks are recomputed as real durations arrive: for each tool the run tracks the ratio of
 * measured to estimated duration of its finished calls, and when that ratio (or, for tools without
 * estimates, the measured mean) moves by more than the re-rank threshold, the estimates of the
 * tool's unfinished calls are corrected and every rank is recomputed (linear in the size of the
 * graph).
 *
 * <p>Immutable and thread-safe; each run gets its own queue.
 */
public final class CriticalPathScheduling implements SchedulingPolicy {

  private final List<Predictor> predictors;
  private final double rerankThreshold;

  private CriticalPathScheduling(List<Predictor> predictors, double rerankThreshold) {
    this.predictors = List.copyOf(predictors);
    this.rerankThreshold = rerankThreshold;
  }

  /**
   * Critical-path scheduling with estimates from {@code predictors}, first answer wins, and the
   * default re-rank threshold of 20%.
   */
  public static CriticalPathScheduling using(Predictor... predictors) {
    return builder().predictors(List.of(predictors)).build();
  }

  /** A builder; see the class comment. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
    long[] estimates = new long[calls.size()];
    for (int i = 0; i < estimates.length; i++) {
      estimates[i] = estimate(calls.get(i));
    }
    return new CriticalPathQueue<>(calls, estimates, rerankThreshold);
  }

  /** The call's own or the first predictor's latency in nanoseconds, or -1 when none answers. */
  private long estimate(PendingCall call) {
    Prediction own = call.prediction();
    if (own != null) {
      return Math.max(0, own.latency().toNanos());
    }
    for (Predictor predictor : predictors) {
      try {
        Prediction prediction = predictor.predict(call);
        if (prediction != null) {
          return Math.max(0, prediction.latency().toNanos());
        }
      } catch (RuntimeException e) {
        // a broken predictor is no answer; the next one (or the fallback) decides
      }
    }
    return CriticalPathQueue.UNKNOWN;
  }

  @Override
  public String toString() {
    return "CriticalPathScheduling" + predictors;
  }

  /** Configures a {@link CriticalPathScheduling}. Not thread-safe. */
  public static final class Builder {
    private final List<Predictor> predictors = new ArrayList<>();
    private double rerankThreshold = 0.2;

    private Builder() {}

    /** Adds a source of estimates; earlier ones win. */
    public Builder predictor(Predictor predictor) {
      predictors.add(Objects.requireNonNull(predictor, "predictor"));
      return this;
    }

    /** Adds sources of estimates; earlier ones win. */
    public Builder predictors(List<? extends Predictor> predictors) {
      predictors.forEach(this::predictor);
      return this;
    }

    /**
     * How far (relative) a tool's measured-to-estimated ratio must move before ranks are
     * recomputed; default 0.2. {@code Double.POSITIVE_INFINITY} never re-ranks.
     */
    public Builder rerankThreshold(double threshold) {
      if (!(threshold > 0)) {
        throw new IllegalArgumentException("rerankThreshold must be > 0, was " + threshold);
      }
      this.rerankThreshold = threshold;
      return this;
    }

    /** Builds the policy. */
    public CriticalPathScheduling build() {
      return new CriticalPathScheduling(predictors, rerankThreshold);
    }
  }
}
