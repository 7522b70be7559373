package dev.parallax.adaptive.limit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/*
 * The algorithm: the operational bounds of any backend, measured, with a margin for a small queue.
 *
 * Whatever a backend does inside, with N calls in flight its throughput X and mean latency T obey
 * Little's law, X = N / T, and two bounds: X <= N / R0 (R0: the latency with no queue) and
 * X <= Xmax (its capacity). The knee where they meet, N* = Xmax × R0, is the fewest calls in flight
 * that keep it fully busy (the bandwidth-delay product of TCP BBR). The limit aims at
 * (1 + tolerance) × N*: a small standing queue that keeps a backend busy whose service times vary,
 * far from where waiting turns into timeouts and rejections. Nothing assumes how latency grows
 * beyond the knee: only these two measured figures are used.
 *
 *   - Windows. A window is at least max(minWindow, limit) samples (30 when R0 is measured: a mean
 *     of fewer is not worth trusting). It yields the mean in flight N, the mean latency T, the
 *     share of successes s, and the relative standard error e of T. Its throughput is N × s / T.
 *   - Xmax is the highest lower bound X × (1 − e) of the last 8 windows: a maximum, so a limit below
 *     the knee does not hide the capacity, over a sliding window of windows, so it forgets a lost
 *     capacity within 8 windows. Failures do not count as served work. A window past the knee (its
 *     mean latency minus one standard error above (1 + tolerance) × R0, and not cut for failures)
 *     is not hiding anything: it measures the capacity itself, and the remembered capacities above
 *     the upper bounds X × (1 + 2e) of two such windows in a row are forgotten. Without it a lost
 *     capacity stayed for 8 windows, which near a stale target grow up to windowGrowth times (quick
 *     retreats record none): after a server lost half its workers the limit aimed at the old knee
 *     for seconds. Two windows, because one is not a pattern: a client stalled for one window (a
 *     loaded machine) makes its latency rise and its throughput fall as a lost capacity does, and
 *     one window refuting on its own cut the limit by up to half, below the knee, on the loopback
 *     HTTP server. The first refuting window is decided at once (not grown), so a real loss costs
 *     one window more. A window short of the knee breaks the pair; windows cut for failures or not
 *     binding neither refute nor break it.
 *   - Probe (BBR's ProbeRTT, when R0 is measured). A refutation that would cut the limit below
 *     1 / (1 + tolerance) of the level where the run of windows past the knee began looks alike at
 *     that level whether the backend lost capacity (a queue: cut) or its no-load latency rose (the
 *     knee rose with it: do not cut; on the loopback HTTP server R0 includes the client's own
 *     overhead, which rises with the machine's load). Such a refutation waits for a third window
 *     past the knee in a row (a stalled client has recovered by then), then the limit runs one
 *     window of at least 60 samples at two thirds of its level. Less throughput there, clearly
 *     (one standard error each side, against the run's pooled windows), means no queue at the
 *     lower level: its latency becomes R0 (the envelope is replaced) and the limit goes back. More
 *     throughput than the refutation allows means the run was a stall: the limit goes back. Else
 *     it is a queue: the refutation applies and the limit moves to the target (at most halving).
 *     Cost: a few hundred calls at two thirds of the limit per deep refutation, none in a steady
 *     state without one.
 *   - R0 is supplied with each sample (a predictor's expected no-load latency) or measured. Each
 *     window adds its successful calls' latencies at its level N to an envelope, and supersedes the
 *     entries it re-measures — those at the same or a higher level — so the envelope's levels only
 *     increase; once the envelope holds a pool of 60 samples, a window above the lowest level whose
 *     mean latency is above R0 does not re-measure (see remeasures: it may be a queue). Before
 *     that every window re-measures: the first window alone (30 samples at the slow start's first
 *     level) is no pool, and frozen it held R0 below the truth for a whole run when its calls were
 *     by chance fast (on the loopback HTTP server, a first window at 0.73 of the mean wait put R0
 *     at 0.9 of the latency at the knee, and the limit sat at 6-8 for a knee of 11: one bench
 *     repeat in five ran at 150-320 calls/s instead of 400). R0 is the lowest upper confidence
 *     bound (mean + 2
 *     standard errors) of the pooled latency of its levels up to some level, over pools of at
 *     least 60 samples (the whole envelope while it has fewer). So R0 remembers what low
 *     concurrency showed while the limit stays above it (a standing queue at the target cannot
 *     raise R0: no creep), and lets it rise only on evidence from a lower level: the lowest level
 *     measured, or a probe (below). Pooling and the upper bound keep one lucky fast window
 *     from setting R0 too low: the failure of the previous design, whose first 30 samples could
 *     put R0 at 60% of the truth and starve it.
 *   - Start. Until the first decrease, a window whose target lies above the limit doubles it (TCP's
 *     slow start): below the knee every window would ask for more anyway, one doubling at a time
 *     reaches it in a few windows instead of a few dozen.
 *   - Decision. The target is (1 + tolerance) × Xmax × R0, moved to by at most halving or doubling a
 *     window. Below the knee Xmax × R0 is about the limit itself, so the limit grows by about the
 *     tolerance a window: the probing. When the target is within the window's noise of the limit
 *     the window keeps growing, up to windowGrowth times its first size, then the limit moves one
 *     step toward it. A window whose callers kept fewer than half the limit in flight moves the
 *     limit only through its failures: the limit did not bind, its throughput says nothing of it.
 *   - Failures (errors, timeouts, rejections) are the backend's other overload signal: a window
 *     with a failure share above dropTolerance shrinks the limit by half that share (at least one),
 *     but not below the last level whose window had no failures, when that level is lower (fast
 *     rejections inflate the share; the level just below is known to work). Failures at or below
 *     that level mean it no longer works: it is forgotten and the share decides alone.
 *   - Above the last level without failures, failed calls started above that level, at least two
 *     and more than a full window tolerates, send the limit back to it at once, even while the
 *     samples of the old limit are being skipped: fast failures (a server rejecting at once) come
 *     back first and would otherwise fill a whole window, tens of failed calls for one probe. One
 *     failed call alone does not: on a loaded machine a stall times out a call at any level, and a
 *     server's admission can race (a worker that has answered but not yet taken the next request
 *     leaves its queue full for an instant); sent back at once from a doubling, the limit lost
 *     half its level for a good part of a run. It is left to the window, which cuts by half its
 *     failure share, at least one step.
 *   - Levels at or above the lowest level whose window failed are climbed one step a window (the
 *     additive increase of TCP's congestion avoidance), and a level whose window had no failures
 *     moves that bound above itself. Without it, a target above a hard bound the backend enforces
 *     (a bounded queue that rejects) made the limit jump back into the rejecting levels every time
 *     the hold ended: each probe cost several levels' worth of failures instead of one.
 *   - After a decrease, for holdWindows windows the limit does not grow back to the level it was
 *     cut from (below it, it recovers at once); after any change the next max(old, new limit)
 *     samples are skipped: the calls already in flight describe the old limit, and after an increase
 *     the calls started to fill the new slots record fewer calls in flight than they ran with (a
 *     doubling from 8 to 16 records them at 9..16: the window's mean level, its throughput and so
 *     its target came out about 15% low, cutting the limit it had just reached).
 * The limit stays within [minLimit, maxLimit].
 */

/**
 * An adaptive concurrency limit: a pure state machine fed with one sample per finished call (its
 * latency, the calls in flight when it started, whether it failed, and the expected no-load latency
 * if known). No threads, no clock: the same samples always give the same limits. It keeps about
 * {@code (1 + tolerance)} times the fewest calls in flight that keep the backend busy, measured
 * from the backend's throughput and its no-load latency (itself measured when the caller supplies
 * none), and shrinks on failures.
 *
 * <p>Not thread-safe: callers serialize {@link #onSample} (see {@link AdaptiveAdmissionControl}).
 */
public final class AdaptiveLimit implements ConcurrencyLimit {

  /* fewest samples behind a measured mean: a sample variance from fewer is not worth trusting */
  private static final int MIN_MEASURED = 30;
  /* windows over which the capacity (the highest throughput) is remembered */
  private static final int CAPACITY_WINDOWS = 8;
  /* standard errors added to a pool's mean latency before it may set the no-load latency */
  private static final double Z_REFERENCE = 2;
  /* fewest samples in a pool that may set the no-load latency */
  private static final int MIN_POOLED = 60;
  /* standard errors within which the target does not differ from the limit */
  private static final double Z_DECIDE = 1;
  /* standard errors above a window's throughput beyond which it refutes a remembered capacity */
  private static final double Z_REFUTE = 2;
  /*
   * failed calls of a probe before it is abandoned at once, whatever the share: one alone is not a
   * pattern (a stalled machine's timeout, a race in a server's admission) and is left to the
   * window, which cuts in proportion to its failures; a second one is
   */
  private static final int RETREAT_FAILURES = 2;
  /*
   * windows past the knee in a row, at the end of which a deep refutation probes the no-load
   * latency: a client stalled for one or two windows (seen on the loopback HTTP server) has ended
   * by then, a lost capacity or a risen no-load latency has not
   */
  private static final int PROBE_RUN = 3;

  private final int minLimit;
  private final int maxLimit;
  private final int minWindow;
  private final int windowGrowth;
  private final double tolerance;
  private final double dropTolerance;
  private final int holdWindows;
  private int hold;
  private int skip;
  private int cutFrom = Integer.MAX_VALUE;
  /* the lowest level whose window failed, not since shown to work: climbed one step a window */
  private int failedAt = Integer.MAX_VALUE;
  /* failed calls started above the last good level since the last change */
  private int probeFailures;
  /* the fewest calls in flight any of them started with: where the failures began */
  private int probeFailedAt = Integer.MAX_VALUE;
  private int lastGood;
  private boolean startup = true;
  /*
   * the upper bound of the throughput of the last decided window past the knee (infinity before
   * one): a remembered capacity is forgotten only when two such windows in a row refute it
   */
  private double previousRefutation = Double.POSITIVE_INFINITY;
  /* the limit a probe of the no-load latency left, 0 while none runs (see startProbe) */
  private int probeFrom;
  /* the confirmed refutation awaiting the probe's verdict */
  private double probeRefuted;
  /* the lower bound of the throughput of the window that asked for the probe */
  private double probeThroughput;
  /* the limit when the current run of windows past the knee began, 0 when none runs */
  private int refutedFrom;
  private int saturatedRun;
  /*
   * the windows of the current run past the knee at one level, pooled: level, samples, latency sum,
   * sum of squares, in-flight sum, successes (the probe's verdict compares against them)
   */
  private final double[] run = new double[6];

  private int limit;
  private final Window window = new Window();
  private final ArrayDeque<Double> capacity = new ArrayDeque<>();
  /* the no-load envelope: levels strictly increasing from first to last */
  private final List<double[]> envelope = new ArrayList<>();
  private double suppliedSum;
  private int suppliedCount;

  /** Running sums of one window's samples. */
  private static final class Window {
    int n;
    double sum;
    double sumSquares;
    int successes;
    double successSum;
    double successSquares;
    double inFlightSum;
    int maxInFlight;

    void add(double latency, int inFlight, boolean failed) {
      n++;
      sum += latency;
      sumSquares += latency * latency;
      inFlightSum += inFlight;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (!failed) {
        successes++;
        successSum += latency;
        successSquares += latency * latency;
      }
    }

    static double relativeError(int n, double sum, double sumSquares) {
      double mean = sum / n;
      double variance = Math.max(0, sumSquares / n - mean * mean);
      return Math.sqrt(variance / n) / mean;
    }

    void clear() {
      n = 0;
      sum = 0;
      sumSquares = 0;
      successes = 0;
      successSum = 0;
      successSquares = 0;
      inFlightSum = 0;
      maxInFlight = 0;
    }
  }

  private AdaptiveLimit(Builder b) {
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.minWindow = b.minWindow;
    this.windowGrowth = b.windowGrowth;
    this.tolerance = b.tolerance;
    this.dropTolerance = b.dropTolerance;
    this.holdWindows = b.holdWindows;
    this.limit = Math.max(minLimit, Math.min(maxLimit, b.initialLimit));
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The current limit. */
  @Override
  public int limit() {
    return limit;
  }

  /**
   * Feeds one finished call.
   *
   * @param latencyNanos how long it took; non-positive samples are ignored
   * @param inFlight calls in flight when it started, itself included
   * @param failed whether it failed or timed out (a sign of overload)
   * @param referenceNanos expected latency of the call with no load, or {@code <= 0} if unknown
   * @return the limit after the sample
   */
  @Override
  public int onSample(long latencyNanos, int inFlight, boolean failed, long referenceNanos) {
    if (latencyNanos <= 0) {
      return limit;
    }
    if (failed && limit > lastGood && lastGood > 0 && inFlight > lastGood) {
      probeFailures++; // a call of the probe above the last good level (even while skipping)
      probeFailedAt = Math.min(probeFailedAt, inFlight);
      if (probeFailures >= RETREAT_FAILURES
          && probeFailures > dropTolerance * Math.max(minWindow, limit)) {
        retreat(); // more than a full window would tolerate: do not wait for it
        return limit;
      }
    }
    if (skip > 0) {
      skip--;
      return limit;
    }
    window.add(latencyNanos, Math.max(1, inFlight), failed);
    if (referenceNanos > 0) {
      suppliedSum += referenceNanos;
      suppliedCount++;
    }
    int size = Math.max(minWindow, limit);
    if (suppliedCount == 0) {
      size = Math.max(size, probeFrom > 0 ? MIN_POOLED : MIN_MEASURED);
    }
    if (window.n >= size) {
      decide(window.n >= size * windowGrowth);
    }
    return limit;
  }

  /**
   * Back to the last level without failures at once, from a level above it whose failures already
   * exceed what a full window tolerates. The window is too short to measure anything: it is not
   * observed.
   */
  private void retreat() {
    failedAt = Math.min(failedAt, Math.min(limit, probeFailedAt));
    startup = false;
    change(lastGood);
  }

  private void decide(boolean last) {
    if (probeFrom > 0) {
      endProbe();
      return;
    }
    int failures = window.n - window.successes;
    if (failures > dropTolerance * window.n) {
      int next = limit - (int) Math.max(1, Math.round(limit * (double) failures / window.n / 2));
      if (lastGood < limit) {
        next = Math.max(next, lastGood); // back to the last level without failures, no lower
      } else {
        lastGood = 0; // failures where there were none: that level is no longer known to be safe
      }
      failedAt = Math.min(failedAt, limit);
      startup = false;
      observe(Double.POSITIVE_INFINITY); // overload wastes capacity: it refutes nothing
      change(next);
      return;
    }
    boolean used = 2 * window.maxInFlight >= limit;
    if (!used) {
      observe(Double.POSITIVE_INFINITY); // the limit did not bind: its throughput says nothing
      change(limit);
      return;
    }
    double error = Window.relativeError(window.n, window.sum, window.sumSquares);
    double reference = reference();
    // past the knee (latency clearly above the target's): the window measures the capacity itself
    boolean saturated =
        window.sum / window.n * (1 - Z_DECIDE * error) > (1 + tolerance) * reference;
    // what this window's throughput refutes, confirmed by the previous window's (see observe)
    double bound = saturated ? throughputOf() * (1 + Z_REFUTE * error) : Double.POSITIVE_INFINITY;
    double refuted = Math.max(bound, previousRefutation);
    double target = (1 + tolerance) * capacity(refuted) * reference;
    if (Double.isNaN(target)) {
      return; // nothing succeeded yet: no figure to aim at
    }
    boolean unclear = Math.abs(target - limit) <= Z_DECIDE * error * limit;
    // a refutation that waits for the next window's confirmation: do not grow this one
    boolean pending = refuted > bound && bound < remembered();
    if (unclear && !last && !pending) {
      return; // let the window grow
    }
    if (!saturated) {
      refutedFrom = 0; // the chain of refutations is broken
      saturatedRun = 0;
      run[0] = 0;
    } else {
      saturatedRun++;
      if (run[0] != limit) {
        Arrays.fill(run, 0);
        run[0] = limit;
      }
      run[1] += window.n;
      run[2] += window.sum;
      run[3] += window.sumSquares;
      run[4] += window.inFlightSum;
      run[5] += window.successes;
      if (refutedFrom == 0) {
        refutedFrom = limit;
      }
    }
    if (refuted < remembered()
        && target * (1 + tolerance) < refutedFrom
        && suppliedCount == 0
        && probeLevel() >= minLimit) {
      if (saturatedRun < PROBE_RUN) {
        observe(Double.POSITIVE_INFINITY);
        previousRefutation = refuted;
        change(limit);
        return;
      }
      double runError = Window.relativeError((int) run[1], run[2], run[3]);
      double runThroughput = run[4] / run[1] * run[5] / run[2];
      startProbe(refuted, runThroughput * Math.max(0, 1 - Z_DECIDE * runError));
      return; // a queue or a slower backend: only a lower level tells
    }
    observe(refuted);
    previousRefutation = bound; // a window short of the knee breaks the pair
    lastGood = limit;
    probeFailures = 0;
    probeFailedAt = Integer.MAX_VALUE;
    if (limit >= failedAt) {
      failedAt = limit + 1; // this level works now
    }
    double next;
    if (startup && target > limit) {
      next = 2.0 * limit; // still below the knee: double, as TCP's slow start
    } else if (unclear) {
      next = limit + Math.signum(Math.round(target) - limit); // one step toward the target
    } else {
      next = Math.max(limit / 2.0, Math.min(2.0 * limit, target));
    }
    if (next < limit) {
      startup = false;
    }
    if (next > limit && hold > 0 && next >= cutFrom) {
      next = Math.max(limit, cutFrom - 1);
    }
    if (next > limit && next >= failedAt) {
      next = Math.min(next, Math.max(limit + 1, failedAt - 1)); // one step a window from here
    }
    change((int) Math.round(next));
  }

  /**
   * Three windows in a row past the knee refute the remembered capacity deeply: either the backend
   * lost capacity (a queue: the limit must come down) or its no-load latency rose (the knee rose
   * with it: the limit must not come down). At one level they look alike; at a lower level they
   * differ, so the limit runs one window of at least {@code MIN_POOLED} samples at two thirds of
   * its level (BBR's ProbeRTT), after skipping the calls in flight. See {@link #endProbe}.
   */
  private void startProbe(double refuted, double throughputLowerBound) {
    probeFrom = limit;
    probeRefuted = refuted;
    probeThroughput = throughputLowerBound;
    previousRefutation = Double.POSITIVE_INFINITY;
    skip = limit; // the calls of the limit left
    probeFailures = 0;
    probeFailedAt = Integer.MAX_VALUE;
    limit = probeLevel();
    window.clear();
    suppliedSum = 0;
    suppliedCount = 0;
  }

  /**
   * The verdict of a probe. More throughput than the refutation allowed (its lower bound above the
   * refuted bound): the run past the knee was a stall, the limit goes back where it was. Clearly
   * less throughput with fewer calls in flight (its upper bound below the lower bound of the run's
   * pooled windows): no queue at the probe's level, its latency is the no-load latency now, it
   * replaces the whole envelope (older levels measured another backend), and the limit goes back.
   * Else a queue at both levels: the capacity is lost, the refutation applies, and the limit moves
   * to the target from where it was (at most halving). A probe that failed or did not bind says
   * nothing: the limit goes back.
   */
  private void endProbe() {
    int from = probeFrom;
    probeFrom = 0;
    int failures = window.n - window.successes;
    boolean used = 2 * window.maxInFlight >= limit;
    if (failures > dropTolerance * window.n || !used || window.successes == 0) {
      restore(from);
      return;
    }
    double error = Window.relativeError(window.n, window.sum, window.sumSquares);
    double throughput = throughputOf();
    double meanInFlight = window.inFlightSum / window.n;
    if (throughput * (1 - Z_DECIDE * error) > probeRefuted) {
      observe(Double.POSITIVE_INFINITY); // it served more than the refutation allowed: a stall
      restore(from);
      return;
    }
    if (throughput * (1 + Z_DECIDE * error) < probeThroughput) {
      envelope.clear();
      envelope.add(
          new double[] {meanInFlight, window.successes, window.successSum, window.successSquares});
      restore(from);
      return;
    }
    double refuted = probeRefuted;
    observe(refuted); // the probe's own throughput is a capacity measured past the knee
    double target = (1 + tolerance) * remembered() * envelopeReference();
    limit = from;
    double next = Math.max(from / 2.0, Math.min(from, target));
    if (next < from) {
      startup = false;
    }
    change((int) Math.round(next));
  }

  /** The level of a probe: two thirds of the limit. */
  private int probeLevel() {
    return 2 * limit / 3;
  }

  /** Back to {@code level} after a probe: no decrease, nothing held. */
  private void restore(int level) {
    skip = Math.max(limit, level);
    probeFailures = 0;
    probeFailedAt = Integer.MAX_VALUE;
    limit = level;
    window.clear();
    suppliedSum = 0;
    suppliedCount = 0;
  }

  /** The highest remembered capacity, 0 if none. */
  private double remembered() {
    double xmax = 0;
    for (double x : capacity) {
      xmax = Math.max(xmax, x);
    }
    return xmax;
  }

  /** The window's throughput, N × s / T. */
  private double throughputOf() {
    return window.inFlightSum / window.n * window.successes / window.sum;
  }

  /**
   * Adds the window's throughput and, when measured, its no-load latency bound. First it forgets
   * the remembered capacities above {@code refuted}: capacities the backend no longer has, as the
   * upper bounds of the throughputs of this window and the previous one, both past the knee, say
   * (infinite when either was not).
   */
  private void observe(double refuted) {
    double meanInFlight = window.inFlightSum / window.n;
    double error = Window.relativeError(window.n, window.sum, window.sumSquares);
    double throughput = throughputOf();
    capacity.removeIf(x -> x > refuted);
    capacity.addLast(throughput * Math.max(0, 1 - error));
    while (capacity.size() > CAPACITY_WINDOWS) {
      capacity.removeFirst();
    }
    if (suppliedCount == 0 && window.successes > 0 && remeasures()) {
      envelope.removeIf(entry -> entry[0] >= meanInFlight);
      envelope.add(
          new double[] {meanInFlight, window.successes, window.successSum, window.successSquares});
    }
  }

  /**
   * Xmax from what has been observed, including the current window, leaving out the remembered
   * capacities above {@code refuted} (see {@link #observe}).
   */
  private double capacity(double refuted) {
    double error = Window.relativeError(window.n, window.sum, window.sumSquares);
    double xmax = throughputOf() * Math.max(0, 1 - error);
    for (double x : capacity) {
      if (x <= refuted) {
        xmax = Math.max(xmax, x);
      }
    }
    return xmax;
  }

  /**
   * R0: supplied, or the lowest upper bound (mean plus two standard errors) of the pooled latency
   * of the envelope's levels up to some level, over pools of at least {@code MIN_POOLED} samples
   * (the whole envelope while it has fewer), the current window taking the place of the entries it
   * re-measures.
   */
  private double reference() {
    if (suppliedCount > 0) {
      return suppliedSum / suppliedCount;
    }
    if (!remeasures()) {
      return envelopeReference();
    }
    double meanInFlight = window.inFlightSum / window.n;
    double n = 0;
    double sum = 0;
    double squares = 0;
    double best = Double.POSITIVE_INFINITY;
    for (double[] entry : envelope) {
      if (entry[0] >= meanInFlight) {
        break; // levels increase along the envelope
      }
      n += entry[1];
      sum += entry[2];
      squares += entry[3];
      if (n >= MIN_POOLED) {
        best = Math.min(best, upperBound(n, sum, squares));
      }
    }
    if (window.successes > 0) {
      n += window.successes;
      sum += window.successSum;
      squares += window.successSquares;
    }
    if (n == 0) {
      return Double.NaN;
    }
    if (n >= MIN_POOLED || Double.isInfinite(best)) {
      best = Math.min(best, upperBound(n, sum, squares));
    }
    return best;
  }

  /**
   * Whether the window may re-measure the no-load latency: while the envelope holds fewer than
   * {@code MIN_POOLED} samples, at or below the lowest level measured, or with a mean latency not
   * above the envelope's R0. Above that level a slower window may be a queue (a backend that lost
   * capacity) as well as a no-load latency that rose; the cut it causes brings the limit down or a
   * probe runs, and only a lower level tells them apart. Without it, windows at the old knee that
   * were by chance within tolerance replaced their level's entry one after the other and walked R0
   * up.
   */
  private boolean remeasures() {
    if (envelope.isEmpty() || window.inFlightSum / window.n <= envelope.get(0)[0]) {
      return true;
    }
    double pooled = 0;
    for (double[] entry : envelope) {
      pooled += entry[1];
    }
    if (pooled < MIN_POOLED) {
      return true; // R0 rests on no pool yet (one short lucky window): nothing to protect
    }
    return window.sum / window.n <= envelopeReference();
  }

  /** R0 from the envelope alone (see {@link #reference}); infinite when it is empty. */
  private double envelopeReference() {
    double r = Double.POSITIVE_INFINITY;
    double n = 0;
    double sum = 0;
    double squares = 0;
    for (double[] entry : envelope) {
      n += entry[1];
      sum += entry[2];
      squares += entry[3];
      if (n >= MIN_POOLED) {
        r = Math.min(r, upperBound(n, sum, squares));
      }
    }
    if (Double.isInfinite(r) && n > 0) {
      r = upperBound(n, sum, squares);
    }
    return r;
  }

  private static double upperBound(double n, double sum, double squares) {
    double mean = sum / n;
    double variance = Math.max(0, squares / n - mean * mean);
    return mean + Z_REFERENCE * Math.sqrt(variance / n);
  }

  private void change(int wanted) {
    int next = Math.max(minLimit, Math.min(maxLimit, wanted));
    if (hold > 0) {
      hold--;
    }
    if (next < limit) {
      hold = holdWindows;
      cutFrom = limit;
    }
    if (next != limit) {
      skip =
          Math.max(limit, next); // the old limit's calls, and those that ramped up to the new one
      probeFailures = 0;
      probeFailedAt = Integer.MAX_VALUE;
    }
    limit = next;
    window.clear();
    suppliedSum = 0;
    suppliedCount = 0;
  }

  @Override
  public String toString() {
    double xmax = 0;
    for (double x : capacity) {
      xmax = Math.max(xmax, x);
    }
    double r = envelopeReference();
    return "AdaptiveLimit[limit="
        + limit
        + ", min="
        + minLimit
        + ", max="
        + maxLimit
        + ", referenceMs="
        + (Double.isInfinite(r) ? "none" : String.format(Locale.ROOT, "%.1f", r / 1e6))
        + ", capacityPerS="
        + String.format(Locale.ROOT, "%.1f", xmax * 1e9)
        + "]";
  }

  /**
   * Configures an {@link AdaptiveLimit}. Not thread-safe.
   *
   * <p>Defaults: initial 10, bounds [1, 200], windows of at least 10 samples growing up to 8 times
   * while the evidence is unclear, latency tolerance 0.25 (the limit settles at about 1.25 times
   * the fewest calls in flight that keep the backend busy, where the latency is about 1.25 times
   * the no-load latency), failure tolerance 0, no growth back to the level of a decrease for 6
   * windows.
   */
  public static final class Builder {
    private int initialLimit = 10;
    private int minLimit = 1;
    private int maxLimit = 200;
    private int minWindow = 10;
    private int windowGrowth = 8;
    private double tolerance = 0.25;
    private double dropTolerance = 0;
    private int holdWindows = 6;

    private Builder() {}

    /**
     * Windows after a decrease during which the limit does not grow back to the level it was cut
     * from (default 6); below that level it recovers at once.
     */
    public Builder holdWindows(int windows) {
      if (windows < 0) {
        throw new IllegalArgumentException("holdWindows must be >= 0, was " + windows);
      }
      this.holdWindows = windows;
      return this;
    }

    /** The limit before any sample. */
    public Builder initialLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("initialLimit must be >= 1, was " + limit);
      }
      this.initialLimit = limit;
      return this;
    }

    /** The lowest limit, at least 1. */
    public Builder minLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("minLimit must be >= 1, was " + limit);
      }
      this.minLimit = limit;
      return this;
    }

    /** The highest limit. */
    public Builder maxLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("maxLimit must be >= 1, was " + limit);
      }
      this.maxLimit = limit;
      return this;
    }

    /** Fewest samples per decision (a window is at least the current limit). */
    public Builder minWindow(int samples) {
      if (samples < 1) {
        throw new IllegalArgumentException("minWindow must be >= 1, was " + samples);
      }
      this.minWindow = samples;
      return this;
    }

    /**
     * How many times its first size a window may grow while the target is within the window's noise
     * of the limit (default 8); then the limit moves one step toward the target.
     */
    public Builder windowGrowth(int factor) {
      if (factor < 1) {
        throw new IllegalArgumentException("windowGrowth must be >= 1, was " + factor);
      }
      this.windowGrowth = factor;
      return this;
    }

    /**
     * The margin above the knee (default 0.25): the limit aims at {@code 1 + share} times the
     * fewest calls in flight that keep the backend busy, where the latency is about {@code 1 +
     * share} times the no-load latency. Larger keeps more calls queued at the backend.
     */
    public Builder latencyTolerance(double share) {
      if (!(share > 0 && share <= 10)) {
        throw new IllegalArgumentException("latencyTolerance must be in (0, 10], was " + share);
      }
      this.tolerance = share;
      return this;
    }

    /** Share of failed samples in a window tolerated before shrinking, in {@code [0, 1]}. */
    public Builder dropTolerance(double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("dropTolerance must be in [0, 1], was " + share);
      }
      this.dropTolerance = share;
      return this;
    }

    /** The limit. */
    public AdaptiveLimit build() {
      if (minLimit > maxLimit) {
        throw new IllegalStateException("minLimit " + minLimit + " > maxLimit " + maxLimit);
      }
      return new AdaptiveLimit(this);
    }
  }
}
