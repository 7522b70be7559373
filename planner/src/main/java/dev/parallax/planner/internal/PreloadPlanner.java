package dev.parallax.planner.internal;

import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PredictedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/*
 * The preloading decision, a pure state machine fed with finished calls (no threads, no clock), so
 * the result cache and the virtual-time replay take exactly the same decisions.
 *
 * It keeps the session's recent calls (the model's context) and a token bucket: `tokens` starts at
 * `burst`; each finished real call adds `wastePerCall` (capped at `burst`); each preload started
 * takes one; each preload a real call used gives one back. A preload that was never used keeps its
 * token, so unused preloads are at most burst + wastePerCall x real calls.
 *
 * After a call it asks the model for predictions (most probable first) and keeps, in order, those
 * of at least `minProbability` that the caller wants (a preloadable tool, not already cached or
 * running), while fewer than `maxPerCall` are kept, the preloads in flight plus those kept stay
 * under `maxInFlight`, and a token is left.
 */

/**
 * Decides which predicted calls to preload; see the comment at the top of the source. Not
 * thread-safe: callers synchronize. Internal; may change at any time.
 */
public final class PreloadPlanner {

  private final Preloading options;
  private final Deque<ObservedCall> context = new ArrayDeque<>();
  private PreloadModel model;
  private double tokens;
  private long skippedBudget;
  private long skippedInFlight;

  /** A planner with a full budget and an empty context. */
  public PreloadPlanner(Preloading options) {
    this.options = options;
    this.model = options.model();
    this.tokens = options.burst();
  }

  /** Replaces the model (for instance after relearning); the context and budget are kept. */
  public void model(PreloadModel model) {
    this.model = model;
  }

  /**
   * Records a finished real call and returns the predicted calls to start now; each costs a token.
   *
   * @param call the call that just finished
   * @param inFlight preloads running now
   * @param wanted whether a prediction may be preloaded at all (a preloadable tool, not already
   *     stored or under way)
   */
  public List<PredictedCall> afterCall(
      ObservedCall call, int inFlight, Predicate<PredictedCall> wanted) {
    context.addLast(call);
    while (context.size() > model.contextSize()) {
      context.removeFirst();
    }
    tokens = Math.min(options.burst(), tokens + options.wastePerCall());
    List<PredictedCall> start = new ArrayList<>();
    for (PredictedCall p : model.predict(List.copyOf(context))) {
      if (start.size() >= options.maxPerCall()) {
        break;
      }
      if (p.probability() < options.minProbability() || !wanted.test(p)) {
        continue;
      }
      if (inFlight + start.size() >= options.maxInFlight()) {
        skippedInFlight++;
        break;
      }
      if (tokens < 1) {
        skippedBudget++;
        break;
      }
      tokens -= 1;
      start.add(p);
    }
    return start;
  }

  /** A preload was used by a real call: its token comes back. */
  public void used() {
    tokens = Math.min(options.burst(), tokens + 1);
  }

  /** A preload returned by {@link #afterCall} could not start: its token comes back. */
  public void notStarted() {
    used();
  }

  /** Predictions not preloaded because the budget was empty. */
  public long skippedBudget() {
    return skippedBudget;
  }

  /** Predictions not preloaded because {@code maxInFlight} preloads were running. */
  public long skippedInFlight() {
    return skippedInFlight;
  }
}
