package dev.parallax.storage.internal;

import org.jspecify.annotations.Nullable;

/**
 * The scan order of the embedded and in-memory stores, start time then id, and the page token that
 * carries the last key of a page. Internal: may change at any time.
 *
 * @param startNanos the record's start in epoch nanoseconds
 * @param id the record's id
 */
public record StartKey(long startNanos, String id) implements Comparable<StartKey> {

  @Override
  public int compareTo(StartKey o) {
    int c = Long.compare(startNanos, o.startNanos);
    return c != 0 ? c : id.compareTo(o.id);
  }

  /** As a page token. */
  public String token() {
    return startNanos + ":" + id;
  }

  /**
   * Reads a page token; {@code null} for {@code null}.
   *
   * @throws IllegalArgumentException if it is not one this store made
   */
  public static @Nullable StartKey parse(@Nullable String token) {
    if (token == null) {
      return null;
    }
    int colon = token.indexOf(':');
    try {
      if (colon > 0) {
        return new StartKey(Long.parseLong(token.substring(0, colon)), token.substring(colon + 1));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("not a page token of this store: " + token);
  }
}
