package dev.parallax.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.Parallax;
import dev.parallax.adaptive.NeighbourCacheStats;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.docs.snippets.StoreNeighboursLiveSnippet;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's snippet of the store's neighbours on the live path builds and closes cleanly. */
@Timeout(60)
class StoreNeighboursLiveSnippetTest {

  @Test
  void storeNeighboursSnippet_buildsWithTheStoreAndCloses(@TempDir Path directory) {
    List<ExecutionRecord> sample = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sample.add(
          ExecutionRecord.builder()
              .tool("fetch")
              .callId("c" + i)
              .traceId("0".repeat(32))
              .spanId(String.format("%016x", i + 1))
              .runId("run")
              .start(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i))
              .duration(Duration.ofMillis(10 + i))
              .status(CallStatus.SUCCEEDED)
              .attempts(1)
              .queueWait(Duration.ZERO)
              .inFlight(1)
              .cacheHit(false)
              .features(Map.of("bytes", 100.0 * i))
              .build());
    }
    EmbeddedHistoryStore[] store = new EmbeddedHistoryStore[1];
    try (Parallax parallax = StoreNeighboursLiveSnippet.build(sample, store, directory)) {
      assertThat(parallax.history()).isSameAs(store[0]);
      assertThat(parallax.predictor().neighbourStats()).isEqualTo(NeighbourCacheStats.NONE);
    } finally {
      store[0].close();
    }
  }
}
