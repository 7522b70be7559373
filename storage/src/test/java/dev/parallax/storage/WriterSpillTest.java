package dev.parallax.storage;

import static dev.parallax.storage.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.testing.GatedStore;
import dev.parallax.storage.testing.LogCapture;
import dev.parallax.storage.testing.Records;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 11: a burst far larger than the buffer, a store that stalls or fails, a process
 * killed while spilling — every accepted record reaches the store, memory stays bounded, and each
 * episode is logged once and exported as metrics.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WriterSpillTest {

  @TempDir Path dir;

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meters =
      SdkMeterProvider.builder().registerMetricReader(reader).build();

  private long metric(String name) {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> points(m).stream())
        .mapToLong(LongPointData::getValue)
        .sum();
  }

  private static java.util.Collection<LongPointData> points(MetricData m) {
    return switch (m.getType()) {
      case LONG_SUM -> m.getLongSumData().getPoints();
      case LONG_GAUGE -> m.getLongGaugeData().getPoints();
      default -> java.util.List.of();
    };
  }

  private static Set<String> stored(ExecutionHistoryStore store) {
    Set<String> ids = new HashSet<>();
    String token = null;
    do {
      HistoryPage page = store.scan(HistoryQuery.all().withLimit(5_000).after(token));
      page.records().forEach(r -> ids.add(r.callId()));
      token = page.nextPageToken();
    } while (token != null);
    return ids;
  }

  private static long spillFiles(Path spill) throws Exception {
    if (!Files.exists(spill)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(spill)) {
      return files.count();
    }
  }

  @Test
  void burstFarBeyondTheBuffer_whileTheStoreIsHeld_spillsToDisk_andStoresEveryRecordAtClose()
      throws Exception {
    GatedStore store = new GatedStore(new InMemoryHistoryStore(Records.XYZ)).hold();
    Path spill = dir.resolve("spill");
    int burst = 30_000;
    int capacity = 100;
    try (LogCapture log = LogCapture.of(BufferedHistoryWriter.class)) {
      BufferedHistoryWriter writer =
          BufferedHistoryWriter.builder(store)
              .capacity(capacity)
              .batchSize(50)
              .spillDirectory(spill)
              .meterProvider(meters)
              .build();
      for (int i = 0; i < burst; i++) {
        assertThat(writer.offer(record(i, "t"))).isTrue();
      }
      // in memory: the buffer and the batch in the store's hands; the rest is on disk
      assertThat(writer.spilled()).isGreaterThanOrEqualTo(burst - capacity - 50);
      assertThat(writer.spillPending()).isEqualTo(writer.spilled());
      assertThat(metric(HistoryMetrics.SPILL_PENDING)).isEqualTo(writer.spilled());

      store.release();
      writer.close(Duration.ofSeconds(30));

      assertThat(stored(store)).hasSize(burst);
      assertThat(writer.delivered()).isEqualTo(burst);
      assertThat(writer.dropped()).isZero();
      assertThat(writer.pending()).isZero();
      assertThat(spillFiles(spill)).as("every spill file delivered and deleted").isZero();
      assertThat(metric(HistoryMetrics.DELIVERED)).isEqualTo(burst);
      assertThat(metric(HistoryMetrics.SPILLED)).isEqualTo(writer.spilled());
      assertThat(metric(HistoryMetrics.DROPPED)).isZero();
      assertThat(log.count(Level.WARNING, "is behind")).as(log.messages().toString()).isOne();
      assertThat(log.count(Level.INFO, "caught up")).as(log.messages().toString()).isOne();
    }
  }

  @Test
  void temporarySpill_isCreatedWhenNeeded_andDeletedOnceDrained() throws Exception {
    GatedStore store = new GatedStore(new InMemoryHistoryStore(Records.XYZ)).hold();
    BufferedHistoryWriter writer =
        BufferedHistoryWriter.builder(store).capacity(10).batchSize(10).temporarySpill().build();
    try {
      for (int i = 0; i < 10; i++) {
        assertThat(writer.offer(record(i, "t"))).isTrue();
      }
      assertThat(writer.spillDirectory()).as("nothing spilled yet").isNull();
      for (int i = 10; i < 500; i++) {
        assertThat(writer.offer(record(i, "t"))).isTrue();
      }
      Path spill = writer.spillDirectory();
      assertThat(spill).isNotNull();
      assertThat(spillFiles(spill)).isPositive();

      store.release();
      assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
      writer.close();

      assertThat(stored(store)).hasSize(500);
      assertThat(writer.spillDirectory()).isNull();
      assertThat(spill).doesNotExist();
    } finally {
      store.release();
      writer.close();
    }
  }

  @Test
  void storeFailing_keepsEveryRecord_deliversThemWhenItRecovers_andLogsTheEpisodeOnce()
      throws Exception {
    GatedStore store = new GatedStore(new InMemoryHistoryStore(Records.XYZ)).failing(true);
    CountDownLatch failedThrice = new CountDownLatch(3);
    try (LogCapture log = LogCapture.of(BufferedHistoryWriter.class);
        BufferedHistoryWriter writer =
            BufferedHistoryWriter.builder(store)
                .capacity(50)
                .batchSize(20)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .spillDirectory(dir.resolve("spill"))
                .meterProvider(meters)
                .listener(
                    new BufferedHistoryWriter.Listener() {
                      @Override
                      public void failed(RuntimeException error) {
                        failedThrice.countDown();
                        throw new IllegalStateException("a listener's bug, ignored");
                      }
                    })
                .build()) {
      for (int i = 0; i < 2_000; i++) {
        assertThat(writer.offer(record(i, "t"))).isTrue();
      }
      assertThat(failedThrice.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(writer.delivered()).isZero();

      store.failing(false);
      assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();

      assertThat(stored(store)).hasSize(2_000);
      assertThat(writer.dropped()).isZero();
      assertThat(metric(HistoryMetrics.APPEND_FAILURES)).isEqualTo(writer.failures());
      assertThat(log.count(Level.WARNING, "failed; records are kept"))
          .as(log.messages().toString())
          .isOne();
      assertThat(log.count(Level.INFO, "accepts appends again")).isOne();
    }
  }

  @Test
  void bufferFull_withoutSpill_dropsAreCountedAndLoggedOncePerEpisode() throws Exception {
    GatedStore store = new GatedStore(new InMemoryHistoryStore(Records.XYZ)).hold();
    try (LogCapture log = LogCapture.of(BufferedHistoryWriter.class)) {
      BufferedHistoryWriter writer =
          BufferedHistoryWriter.builder(store)
              .capacity(10)
              .batchSize(5)
              .meterProvider(meters)
              .build();
      long refused = 0;
      for (int i = 0; i < 1_000; i++) {
        if (!writer.offer(record(i, "t"))) {
          refused++;
        }
      }
      assertThat(refused).isGreaterThanOrEqualTo(1_000 - 15);
      assertThat(writer.dropped()).isEqualTo(refused);
      assertThat(metric(HistoryMetrics.DROPPED)).isEqualTo(refused);
      // logged when an episode starts or ends (thinned out as they repeat), never per record
      assertThat(log.count(Level.WARNING, "dropped"))
          .as(log.messages().toString())
          .isBetween(1L, 2L * Long.SIZE);

      store.release();
      writer.close(Duration.ofSeconds(30));
      assertThat(stored(store)).hasSize((int) (1_000 - refused));
    }
  }

  @Test
  void processKilledWhileSpilling_losesNoSpilledRecord_theNextWriterDeliversThem()
      throws Exception {
    Path spill = dir.resolve("spill");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                SpillingChild.class.getName(),
                spill.toString())
            .redirectError(dir.resolve("child.err").toFile())
            .start();
    Set<Long> spilled = new HashSet<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("SPILLED ")) {
          spilled.add(Long.parseLong(line.substring(8)));
          if (spilled.size() >= 5_000) {
            break; // kill it while it spills the next ones
          }
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(spilled).as("child stderr in %s", dir.resolve("child.err")).hasSize(5_000);
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

    InMemoryHistoryStore store = new InMemoryHistoryStore(Records.XYZ);
    try (BufferedHistoryWriter next =
        BufferedHistoryWriter.builder(store).spillDirectory(spill).build()) {
      // the writer may already be delivering: what is not pending any more is in the store (read
      // in this order, a record that moves between the two reads is counted twice, never missed)
      long pending = next.pending();
      assertThat(pending + stored(store).size())
          .as("spilled records found by the next writer")
          .isGreaterThanOrEqualTo(5_000);
      assertThat(next.flush(Duration.ofSeconds(60))).isTrue();
    }
    Set<String> stored = stored(store);
    for (long n : spilled) {
      ExecutionRecord expected = Records.record(n, "tool-" + n % 3);
      assertThat(stored).as("record %d", n).contains(expected.callId());
    }
    assertThat(spillFiles(spill)).isZero();
  }
}
