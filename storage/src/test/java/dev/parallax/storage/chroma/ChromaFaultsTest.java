package dev.parallax.storage.chroma;

import static dev.parallax.storage.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.BufferedHistoryWriter;
import dev.parallax.storage.HistoryPage;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.storage.testing.ChromaServer;
import dev.parallax.storage.testing.Records;
import dev.parallax.storage.testing.TempFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Chroma server that is down when the writer starts, or is killed (SIGKILL) in the middle of a
 * stream of appends and restarted on the same data directory: callers never block or fail, and
 * every record arrives exactly once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChromaFaultsTest {

  private Path root;
  private ChromaServer server;

  @BeforeEach
  void start() throws Exception {
    root = Files.createTempDirectory("parallax-chroma-faults");
    server = ChromaServer.start(root.resolve("data"));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    TempFiles.deleteTree(root);
  }

  private ChromaHistoryStore store() {
    return ChromaHistoryStore.builder(server.url(), Records.XYZ)
        .namespace("faults")
        .timeout(Duration.ofSeconds(2))
        .build();
  }

  private static BufferedHistoryWriter.Builder writer(ChromaHistoryStore store) {
    return BufferedHistoryWriter.builder(store)
        .batchSize(100)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(250));
  }

  private static Map<String, Integer> timesStored(ChromaHistoryStore store) {
    Map<String, Integer> times = new HashMap<>();
    String token = null;
    do {
      HistoryPage page = store.scan(HistoryQuery.all().withLimit(1000).after(token));
      page.records().forEach(r -> times.merge(r.callId(), 1, Integer::sum));
      token = page.nextPageToken();
    } while (token != null);
    return times;
  }

  @Test
  void serverDownAtStart_recordsWaitAndArriveOnceItIsUp() throws Exception {
    server.kill();
    ChromaHistoryStore store = store();
    AtomicLong failures = new AtomicLong();
    CountDownLatch failed = new CountDownLatch(1);
    try (BufferedHistoryWriter writer =
        writer(store)
            .listener(
                new BufferedHistoryWriter.Listener() {
                  @Override
                  public void failed(RuntimeException error) {
                    failures.incrementAndGet();
                    failed.countDown();
                  }
                })
            .build()) {
      for (int i = 0; i < 300; i++) {
        assertThat(writer.offer(record(i, "t"))).isTrue();
      }
      assertThat(failed.await(60, TimeUnit.SECONDS)).as("the writer met the dead server").isTrue();
      assertThat(writer.delivered()).isZero();

      server.restart();

      assertThat(writer.flush(Duration.ofSeconds(120))).isTrue();
      assertThat(writer.dropped()).isZero();
    }
    assertThat(failures.get()).isPositive();
    assertThat(store.count()).isEqualTo(300);
    assertThat(timesStored(store)).hasSize(300).allSatisfy((id, n) -> assertThat(n).isOne());
  }

  @Test
  void serverKilledMidStream_everyRecordArrivesExactlyOnceAfterRestart() throws Exception {
    ChromaHistoryStore store = store();
    Path spill = root.resolve("spill");
    CountDownLatch someDelivered = new CountDownLatch(500);
    CountDownLatch failed = new CountDownLatch(1);
    int total = 4000;
    List<ExecutionRecord> offered = new ArrayList<>();
    try (BufferedHistoryWriter writer =
        writer(store)
            .capacity(500)
            .spillDirectory(spill)
            .listener(
                new BufferedHistoryWriter.Listener() {
                  @Override
                  public void delivered(int accepted) {
                    for (int i = 0; i < accepted; i++) {
                      someDelivered.countDown();
                    }
                  }

                  @Override
                  public void failed(RuntimeException error) {
                    failed.countDown();
                  }
                })
            .build()) {
      int i = 0;
      for (; i < 1500; i++) {
        offered.add(record(i, "tool-" + i % 4));
        assertThat(writer.offer(offered.get(i))).isTrue();
      }
      assertThat(someDelivered.await(60, TimeUnit.SECONDS)).isTrue();

      server.kill(); // SIGKILL while the writer is still appending

      for (; i < total; i++) {
        offered.add(record(i, "tool-" + i % 4));
        assertThat(writer.offer(offered.get(i))).isTrue();
      }
      assertThat(failed.await(60, TimeUnit.SECONDS)).as("the writer met the dead server").isTrue();
      assertThat(writer.spilled()).as("the buffer overflowed to disk").isPositive();

      server.restart();

      assertThat(writer.flush(Duration.ofSeconds(120))).isTrue();
      assertThat(writer.dropped()).isZero();
      assertThat(writer.rejected()).isZero();
    }
    assertThat(store.count()).isEqualTo(total);
    Map<String, Integer> times = timesStored(store);
    assertThat(times).hasSize(total).allSatisfy((id, n) -> assertThat(n).isOne());
    assertThat(store.scan(HistoryQuery.all().withLimit(total)).records())
        .containsExactlyInAnyOrderElementsOf(offered);
  }
}
