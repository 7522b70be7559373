package dev.parallax.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.BufferedHistoryWriter;
import dev.parallax.storage.HistoryPage;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.internal.LuceneHistory;
import dev.parallax.storage.testing.LogCapture;
import dev.parallax.storage.testing.Records;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 12: after a disk-full error the embedded store never accepted writes again in that
 * process ({@code AlreadyClosedException}, retried forever, nothing logged). The disk is filled and
 * emptied on demand by {@link DiskFullDirectory} around the real file-system directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedDiskFullTest {

  @TempDir Path dir;

  private static List<ExecutionRecord> records(long from, long to) {
    return LongStream.range(from, to).mapToObj(n -> Records.record(n, "tool-" + n % 3)).toList();
  }

  private static Set<String> callIds(EmbeddedHistoryStore store) {
    Set<String> ids = new HashSet<>();
    String token = null;
    do {
      HistoryPage page = store.scan(HistoryQuery.all().withLimit(5_000).after(token));
      page.records().forEach(r -> ids.add(r.callId()));
      token = page.nextPageToken();
    } while (token != null);
    return ids;
  }

  private EmbeddedHistoryStore open(Path history, DiskFullDirectory[] disk) {
    return EmbeddedHistoryStore.builder(history, Records.XYZ)
        .directoryWrapper(
            d -> {
              disk[0] = new DiskFullDirectory(d);
              return disk[0];
            })
        .open();
  }

  @Test
  void afterADiskFullError_theStoreAcceptsWritesAgainOnceSpaceReturns_losingNothingAcknowledged() {
    Path history = dir.resolve("history");
    DiskFullDirectory[] disk = new DiskFullDirectory[1];
    try (LogCapture log = LogCapture.of(LuceneHistory.class);
        EmbeddedHistoryStore store = open(history, disk)) {
      store.append(records(0, 100));

      disk[0].full(true);
      for (int attempt = 0; attempt < 3; attempt++) {
        assertThatThrownBy(() -> store.append(records(100, 200)))
            .isInstanceOf(HistoryStoreException.class);
      }
      assertThat(disk[0].refused()).isPositive();
      assertThat(store.count()).as("reads answer from the last commit").isEqualTo(100);

      disk[0].full(false);
      store.append(records(100, 200));
      store.append(records(200, 300));

      assertThat(store.count()).isEqualTo(300);
      assertThat(log.count(Level.WARNING, "tragic error")).as(log.messages().toString()).isOne();
      assertThat(log.count(Level.INFO, "accepts writes again"))
          .as(log.messages().toString())
          .isOne();
    }
    try (EmbeddedHistoryStore reopened = EmbeddedHistoryStore.open(history, Records.XYZ)) {
      assertThat(callIds(reopened))
          .hasSize(300)
          .containsAll(records(0, 300).stream().map(ExecutionRecord::callId).toList());
    }
  }

  @Test
  void diskFull_theBufferedWriterKeepsEveryRecord_andDeliversThemWhenSpaceReturns()
      throws Exception {
    Path history = dir.resolve("history");
    DiskFullDirectory[] disk = new DiskFullDirectory[1];
    int total = 3_000;
    List<ExecutionRecord> offered = new ArrayList<>(records(0, total));
    try (EmbeddedHistoryStore store = open(history, disk)) {
      CountDownLatch failing = new CountDownLatch(3);
      try (BufferedHistoryWriter writer =
          BufferedHistoryWriter.builder(store)
              .capacity(100)
              .batchSize(50)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(20))
              .spillDirectory(dir.resolve("spill")) // another disk than the full one
              .listener(
                  new BufferedHistoryWriter.Listener() {
                    @Override
                    public void failed(RuntimeException error) {
                      failing.countDown();
                    }
                  })
              .build()) {
        for (int i = 0; i < 500; i++) {
          assertThat(writer.offer(offered.get(i))).isTrue();
        }
        assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
        disk[0].full(true);
        for (int i = 500; i < total; i++) {
          assertThat(writer.offer(offered.get(i))).isTrue();
        }
        assertThat(failing.await(60, TimeUnit.SECONDS)).as("the writer met the full disk").isTrue();
        assertThat(writer.spilled()).isPositive();

        disk[0].full(false);

        assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
        assertThat(writer.dropped()).isZero();
        assertThat(writer.rejected()).isZero();
      }
      assertThat(store.count()).isEqualTo(total);
    }
    try (EmbeddedHistoryStore reopened = EmbeddedHistoryStore.open(history, Records.XYZ)) {
      assertThat(callIds(reopened))
          .containsExactlyInAnyOrderElementsOf(
              offered.stream().map(ExecutionRecord::callId).toList());
    }
  }
}
