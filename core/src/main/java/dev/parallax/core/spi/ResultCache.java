package dev.parallax.core.spi;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Reuse of results. Called on the attempt's thread around the tool; the default always runs the
 * tool.
 */
@FunctionalInterface
public interface ResultCache {

  /** No reuse: every attempt runs its tool. */
  ResultCache NONE = (call, input, tool) -> new Lookup(tool.call(), Status.NOT_CACHED);

  /** How a lookup was answered. */
  enum Status {
    /** From the cache (or from an identical call that was already running). */
    HIT,
    /** The tool ran and its result may be reused. */
    MISS,
    /** The cache did not apply (tool not cacheable, or no key could be made); the tool ran. */
    NOT_CACHED
  }

  /**
   * A value and how it was obtained.
   *
   * @param value the value
   * @param status whether it came from the cache
   * @param preloaded whether a hit's value was computed by a speculative preload (a call started on
   *     a prediction, before the agent asked); always {@code false} for a miss
   */
  record Lookup(@Nullable Object value, Status status, boolean preloaded) {
    /** Checks the fields. */
    public Lookup {
      java.util.Objects.requireNonNull(status, "status");
    }

    /** A lookup whose value no preload computed. */
    public Lookup(@Nullable Object value, Status status) {
      this(value, status, false);
    }

    /** Whether the value came from the cache. */
    public boolean hit() {
      return status == Status.HIT;
    }
  }

  /**
   * Returns the cached value for the call, or runs {@code tool} to compute it.
   *
   * @param call the call
   * @param input its resolved input
   * @param tool runs the tool once; what it throws must propagate
   * @throws Exception what {@code tool} threw
   */
  Lookup lookup(PendingCall call, Object input, Callable<?> tool) throws Exception;

  /**
   * The lookup {@link #joinRefused} offers: it waits for work under way (and never runs the tool).
   * The executor runs it at most once, on the attempt's thread, in place of {@link #lookup}; when
   * the attempt ends without running it (cancelled or timed out before its runner started it, the
   * runner failed to start it or reported it ended without running it), the executor calls {@link
   * #release} instead, once, on whichever thread reported that end, so that the cache stops
   * counting the call as waiting for that work. Exactly one of {@link #call} and {@link #release}
   * is called for each join the executor used.
   */
  @FunctionalInterface
  interface Join extends Callable<Lookup> {
    /**
     * The attempt ended without running this lookup: the call no longer waits for the joined work.
     * Must not block or throw (what it throws is logged and ignored). The default does nothing.
     */
    default void release() {}
  }

  /**
   * Offers to answer a call the admission control has just refused, without a permit: when the
   * call's result is already being computed by work that holds a permit of its own (a speculative
   * preload of the same call), the call waits for that work instead of waiting for capacity —
   * capacity that this very work may hold. The executor then starts the call's attempt without a
   * permit (nothing is released for it either) and runs the returned lookup in place of {@link
   * #lookup} on the attempt's thread. Called on the run's event thread, only for refused calls: it
   * must not block, and the lookup it returns must never run the tool. The default offers nothing.
   *
   * @param call the refused call
   * @param input its resolved input
   * @return the lookup to run instead of {@link #lookup} (it waits for the joined work and returns
   *     its value as a {@link Status#HIT HIT}, or throws what that work threw; {@link Join#release}
   *     if the attempt ends without running it), or {@code null} to let the call wait for capacity
   */
  default @Nullable Join joinRefused(PendingCall call, Object input) {
    return null;
  }
}
