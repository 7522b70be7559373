package dev.parallax.storage;

import static dev.parallax.storage.testing.Records.T0;
import static dev.parallax.storage.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.chroma.ChromaHistoryStore;
import dev.parallax.storage.testing.Records;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buffered writer against stores that work and a store nobody answers (a Chroma store aimed at
 * a closed port). The fault tests against a real Chroma server killed mid-stream are in {@code
 * chroma.ChromaFaultsTest}.
 */
class BufferedHistoryWriterTest {

  @TempDir Path dir;

  private static ExecutionHistoryStore unreachable() {
    return ChromaHistoryStore.builder(URI.create("http://127.0.0.1:9"), Records.XYZ)
        .timeout(Duration.ofSeconds(1))
        .build();
  }

  @Test
  void offer_deliversEveryRecordInBatches() throws Exception {
    InMemoryHistoryStore store = new InMemoryHistoryStore(Records.XYZ);
    List<Integer> batches = new CopyOnWriteArrayList<>();
    try (BufferedHistoryWriter writer =
        BufferedHistoryWriter.builder(store)
            .batchSize(100)
            .listener(
                new BufferedHistoryWriter.Listener() {
                  @Override
                  public void delivered(int accepted) {
                    batches.add(accepted);
                  }
                })
            .build()) {
      for (int i = 0; i < 1000; i++) {
        assertThat(writer.offer(record(i, "t"))).isTrue();
      }

      assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(store.count()).isEqualTo(1000);
      assertThat(writer.delivered()).isEqualTo(1000);
      assertThat(writer.pending()).isZero();
      assertThat(batches).allMatch(n -> n <= 100);
    }
  }

  @Test
  void badRecords_areRejectedByNameAndTheRestDelivered() throws Exception {
    InMemoryHistoryStore store = new InMemoryHistoryStore(Records.XYZ);
    List<Rejection> rejections = new CopyOnWriteArrayList<>();
    try (BufferedHistoryWriter writer =
        BufferedHistoryWriter.builder(store)
            .listener(
                new BufferedHistoryWriter.Listener() {
                  @Override
                  public void rejected(Rejection rejection) {
                    rejections.add(rejection);
                  }
                })
            .build()) {
      writer.offer(record(1, "t"));
      writer.offer(record(2, "t", T0, Map.of("x", Double.NEGATIVE_INFINITY)));
      writer.offer(record(3, "t"));

      assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(store.count()).isEqualTo(2);
    assertThat(rejections).singleElement().extracting(Rejection::callId).isEqualTo("call-2");
    assertThat(rejections.get(0).message()).contains("feature 'x' is -Infinity");
  }

  @Test
  void bufferFull_withoutSpillDirectory_dropsAndCountsNeverSilently() {
    BufferedHistoryWriter writer =
        BufferedHistoryWriter.builder(unreachable())
            .capacity(10)
            .batchSize(10)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .build();
    int refused = 0;
    for (int i = 0; i < 100; i++) {
      if (!writer.offer(record(i, "t"))) {
        refused++;
      }
    }

    assertThat(refused).isGreaterThanOrEqualTo(80);
    assertThat(writer.dropped()).isEqualTo(refused);
    assertThat(writer.pending() + writer.dropped()).isEqualTo(100);

    writer.close(Duration.ZERO);
    assertThat(writer.delivered()).isZero();
    assertThat(writer.dropped()).isEqualTo(100);
    assertThat(writer.offer(record(100, "t"))).isFalse();
  }

  @Test
  void bufferFull_withSpillDirectory_keepsEveryRecordOnDiskForTheNextWriter() throws Exception {
    Path spill = dir.resolve("spill");
    BufferedHistoryWriter down =
        BufferedHistoryWriter.builder(unreachable())
            .capacity(5)
            .batchSize(5)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .spillDirectory(spill)
            .build();
    List<ExecutionRecord> offered = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      offered.add(record(i, "t"));
      assertThat(down.offer(offered.get(i))).isTrue();
    }
    assertThat(down.spilled()).isGreaterThanOrEqualTo(50);
    down.close(Duration.ZERO);
    assertThat(down.dropped()).isZero();

    InMemoryHistoryStore store = new InMemoryHistoryStore(Records.XYZ);
    try (BufferedHistoryWriter up =
        BufferedHistoryWriter.builder(store).spillDirectory(spill).build()) {
      assertThat(up.flush(Duration.ofSeconds(30))).isTrue();
    }

    Set<ExecutionRecord> stored = new HashSet<>(store.scan(HistoryQuery.all()).records());
    assertThat(stored).containsExactlyInAnyOrderElementsOf(offered);
    assertThat(spill.toFile().list()).isEmpty();
  }
}
