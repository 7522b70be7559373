package dev.parallax.adaptive;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.record.RecordPage;
import dev.parallax.core.record.RecordSource;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Records in a list as a {@link RecordSource}: oldest start first, pages of at most the limit, the
 * page token the offset of the next page. Counts the pages read. (The storage module's stores are
 * {@code RecordSource}s too; their paging is checked by storage's {@code HistoryStoreContract}.)
 */
final class ListRecordSource implements RecordSource {

  private final List<ExecutionRecord> records;
  final AtomicInteger pages = new AtomicInteger();

  ListRecordSource(List<ExecutionRecord> records) {
    this.records = records.stream().sorted(Comparator.comparing(ExecutionRecord::start)).toList();
  }

  @Override
  public RecordPage scan(Instant from, Instant to, int limit, @Nullable String pageToken) {
    if (limit < 1 || from.isAfter(to)) {
      throw new IllegalArgumentException("limit " + limit + ", from " + from + ", to " + to);
    }
    pages.incrementAndGet();
    List<ExecutionRecord> matching =
        records.stream().filter(r -> !r.start().isBefore(from) && r.start().isBefore(to)).toList();
    int offset = pageToken == null ? 0 : Integer.parseInt(pageToken);
    int end = Math.min(matching.size(), offset + limit);
    return new RecordPage(
        matching.subList(offset, end), end < matching.size() ? Integer.toString(end) : null);
  }
}
