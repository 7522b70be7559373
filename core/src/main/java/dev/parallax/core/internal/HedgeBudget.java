package dev.parallax.core.internal;

import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.spi.AttemptSample.Outcome;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/*
 * The executor's hedging state, shared by its runs: a token bucket and, per tool, a moving average
 * of failed or timed-out attempts.
 *
 * Token bucket: each call's first attempt earns `budget` tokens, up to `burst`; a hedge spends one
 * whole token. The bucket starts empty, so after n calls at most budget * n hedges have started, at
 * every moment — the "hedges <= 5-10% of calls" of The Tail at Scale, as a guarantee — and over any
 * later stretch of n calls at most budget * n + burst. No clock (virtual time needs none).
 *
 * Overload: an exponentially weighted moving average (weight 1/20) of 1 for an attempt that failed
 * or timed out, 0 for one that succeeded; cancelled attempts (hedge losers, stopped runs) say
 * nothing about the backend and are not counted. A tool above `maxFailureRate` is not hedged.
 */

/**
 * The hedging state of one executor: budget and per-tool failure rates. Thread-safe. Internal; may
 * change at any time.
 */
public final class HedgeBudget {

  /** Weight of one attempt in a tool's failure rate. */
  private static final double ALPHA = 1.0 / 20;

  /** One token in the bucket's fixed-point unit: sums of 0.1 must reach 1 exactly. */
  private static final long TOKEN = 1_000_000;

  private final HedgePolicy policy;
  private final long perCall;
  private final long capacity;
  private long tokens;
  private final Map<String, Double> failureRates = new HashMap<>();
  private final AtomicLong hedges = new AtomicLong();
  private final AtomicLong hedgesWon = new AtomicLong();

  /** The state of a policy; the bucket starts empty: hedges are earned by calls. */
  public HedgeBudget(HedgePolicy policy) {
    this.policy = policy;
    this.perCall = Math.max(1, Math.round(policy.budget() * TOKEN));
    this.capacity = policy.burst() * TOKEN;
  }

  /** The policy this state follows. */
  public HedgePolicy policy() {
    return policy;
  }

  /** A call's first attempt started: it earns its share of the budget. */
  synchronized void earn() {
    tokens = Math.min(capacity, tokens + perCall);
  }

  /** Whether a hedge of the tool may start now; if so, spends its token. */
  synchronized boolean trySpend(String tool) {
    Double rate = failureRates.get(tool);
    if (rate != null && rate > policy.maxFailureRate()) {
      return false;
    }
    if (tokens < TOKEN) {
      return false;
    }
    tokens -= TOKEN;
    hedges.incrementAndGet();
    return true;
  }

  /** Gives back the token of a hedge that could not start after all (no slot). */
  synchronized void refund() {
    tokens = Math.min(capacity, tokens + TOKEN);
    hedges.decrementAndGet();
  }

  /** An attempt of the tool ended: updates its failure rate. */
  synchronized void observe(String tool, Outcome outcome) {
    double x;
    switch (outcome) {
      case SUCCESS -> x = 0;
      case FAILURE, TIMEOUT -> x = 1;
      default -> {
        return;
      }
    }
    double old = failureRates.getOrDefault(tool, 0.0);
    failureRates.put(tool, old + ALPHA * (x - old));
  }

  void won() {
    hedgesWon.incrementAndGet();
  }

  /** Hedges started so far. */
  public long hedges() {
    return hedges.get();
  }

  /** Hedges that answered their call (they succeeded before the first attempt). */
  public long hedgesWon() {
    return hedgesWon.get();
  }
}
