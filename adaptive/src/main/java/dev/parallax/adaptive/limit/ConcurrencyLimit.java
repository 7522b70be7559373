package dev.parallax.adaptive.limit;

/**
 * A concurrency limit fed with samples — one per finished call: its latency, the calls in flight
 * when it started, whether it failed (a sign of overload), and the latency it would have had with
 * no load — that answers with the current limit. The shape of Netflix concurrency-limits' {@code
 * Limit}: a pure state machine, no threads and no clock inside, so the same samples always give the
 * same limits and a test can feed a fixed sequence.
 *
 * <p>{@link AdaptiveAdmissionControl} keeps one per backend and accepts any implementation: {@link
 * AdaptiveLimit} (the default), or a Netflix limit through {@link
 * dev.parallax.adaptive.limit.netflix.NetflixConcurrencyLimit}.
 *
 * <p>Implementations need not be thread-safe: {@link AdaptiveAdmissionControl} calls each instance
 * from one thread at a time, under a lock that also makes each call see the previous one's writes.
 */
public interface ConcurrencyLimit {

  /** The current limit, at least 1. */
  int limit();

  /**
   * Feeds one finished call.
   *
   * @param latencyNanos how long it took; implementations ignore non-positive samples
   * @param inFlight calls in flight when it started, itself included
   * @param failed whether it failed or timed out
   * @param referenceNanos expected latency of the call with no load, or {@code <= 0} if unknown;
   *     limits that learn the no-load latency themselves may ignore it
   * @return the limit after the sample
   */
  int onSample(long latencyNanos, int inFlight, boolean failed, long referenceNanos);
}
