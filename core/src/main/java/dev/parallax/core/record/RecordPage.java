package dev.parallax.core.record;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link RecordSource#scan}.
 *
 * @param records the records of this page
 * @param nextPageToken pass it to the next scan; {@code null} when this is the last page
 */
public record RecordPage(List<ExecutionRecord> records, @Nullable String nextPageToken) {

  /** Copies the list. */
  public RecordPage {
    records = List.copyOf(records);
  }
}
