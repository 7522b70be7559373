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
  ResultCache NONE = (call, input, tool) -> new Lookup(tool.call(), false);

  /** A value and whether it came from the cache. */
  record Lookup(@Nullable Object value, boolean hit) {}

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
