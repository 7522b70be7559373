package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@linkplain ExecutionHistoryStore#scan scan}.
 *
 * @param records the records of this page, at most the query's limit
 * @param nextPageToken pass it to {@link HistoryQuery#after} for the next page; {@code null} when
 *     this is the last page
 */
public record HistoryPage(List<ExecutionRecord> records, @Nullable String nextPageToken) {

  /** Copies the list. */
  public HistoryPage {
    records = List.copyOf(records);
  }
}
