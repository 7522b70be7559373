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
}
