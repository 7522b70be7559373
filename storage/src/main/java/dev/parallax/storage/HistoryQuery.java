package dev.parallax.storage;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@linkplain ExecutionHistoryStore#scan scan} reads: records of one tool (or all tools)
 * that started in {@code [from, to)}, at most {@code limit} per page, after the page that returned
 * {@code pageToken}.
 *
 * <p>Immutable; the {@code with…} methods return changed copies. Start with {@link #all()} or
 * {@link #forTool(String)}.
 *
 * @param tool only records of this tool; {@code null} for all tools
 * @param from the earliest start, inclusive
 * @param to the latest start, exclusive
 * @param limit the most records per page, at least 1
 * @param pageToken the previous page's {@link HistoryPage#nextPageToken()}; {@code null} for the
 *     first page
 */
public record HistoryQuery(
    @Nullable String tool, Instant from, Instant to, int limit, @Nullable String pageToken) {

  /** Default page size. */
  public static final int DEFAULT_LIMIT = 1000;

  /** Earliest start a query can name. */
  public static final Instant MIN = Instant.EPOCH;

  /** Latest start a query can name (far enough: 2262, the end of 64-bit epoch nanoseconds). */
  public static final Instant MAX = Instant.ofEpochSecond(Long.MAX_VALUE / 1_000_000_000L);

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if {@code limit < 1} or {@code from} is after {@code to}
   */
  public HistoryQuery {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
  }

  /** Every record, {@value #DEFAULT_LIMIT} per page. */
  public static HistoryQuery all() {
    return new HistoryQuery(null, MIN, MAX, DEFAULT_LIMIT, null);
  }

  /** Every record of {@code tool}, {@value #DEFAULT_LIMIT} per page. */
  public static HistoryQuery forTool(String tool) {
    return all().withTool(Objects.requireNonNull(tool, "tool"));
  }

  /** Only records of {@code tool}; {@code null} for all tools. */
  public HistoryQuery withTool(@Nullable String tool) {
    return new HistoryQuery(tool, from, to, limit, pageToken);
  }

  /** Only records that started in {@code [from, to)}. */
  public HistoryQuery between(Instant from, Instant to) {
    return new HistoryQuery(tool, from, to, limit, pageToken);
  }

  /** At most {@code limit} records per page. */
  public HistoryQuery withLimit(int limit) {
    return new HistoryQuery(tool, from, to, limit, pageToken);
  }

  /** The page after the one that returned {@code pageToken}. */
  public HistoryQuery after(@Nullable String pageToken) {
    return new HistoryQuery(tool, from, to, limit, pageToken);
  }
}
