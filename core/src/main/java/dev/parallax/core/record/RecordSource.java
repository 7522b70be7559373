package dev.parallax.core.record;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Somewhere past {@link ExecutionRecord}s can be read from, page by page: the read side of the
 * history, as a core type, so that a model can warm-start from a store without depending on the
 * storage module. Storage's {@code ExecutionHistoryStore} is one.
 *
 * <p>Implementations are thread-safe; they may throw an unchecked exception when they cannot be
 * read.
 */
public interface RecordSource {

  /**
   * One page of the records that started in {@code [from, to)}: at most {@code limit}, after the
   * page that returned {@code pageToken} ({@code null} for the first). Following {@link
   * RecordPage#nextPageToken()} until it is {@code null} returns every matching record once when
   * nothing is written meanwhile.
   *
   * @throws IllegalArgumentException if {@code limit < 1} or {@code from} is after {@code to}
   */
  RecordPage scan(Instant from, Instant to, int limit, @Nullable String pageToken);
}
