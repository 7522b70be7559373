package dev.parallax.storage;

import static dev.parallax.storage.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.chroma.ChromaHistoryStore;
import dev.parallax.storage.testing.Records;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 10: {@code offer} racing {@code close()} lost accepted records (10 of 200 trials):
 * accepted ({@code offer} returned {@code true}) yet neither stored nor counted as dropped. Many
 * threads offer while another closes, many times over; every accepted record must be stored (or,
 * with a dead store, counted as dropped), and every offer after close refused.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WriterCloseRaceTest {

  private static final int THREADS = 8;
  private static final int TRIALS = 200;

  @TempDir Path dir;

  /** What one trial saw. */
  private record Trial(Set<String> accepted, long refused) {}

  /** Offers from {@link #THREADS} threads until refused, closing the writer once they all run. */
  private static Trial race(BufferedHistoryWriter writer, int trial, Duration closeTimeout)
      throws Exception {
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicLong refused = new AtomicLong();
    AtomicLong offers = new AtomicLong();
    CountDownLatch running = new CountDownLatch(THREADS);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    running.countDown();
                    for (long n = 0; ; n++) {
                      ExecutionRecord r =
                          record(trial * 10_000_000L + thread * 1_000_000L + n, "t");
                      offers.incrementAndGet();
                      if (writer.offer(r)) {
                        accepted.add(r.callId());
                      } else {
                        refused.incrementAndGet();
                        return; // refused: closed (or, without a spill, full)
                      }
                    }
                  }));
    }
    running.await();
    long target = 50 + (trial % 7) * 100; // close at a different point of the stream each time
    while (offers.get() < target) {
      Thread.onSpinWait();
    }
    writer.close(closeTimeout);
    for (Thread t : threads) {
      t.join();
    }
    return new Trial(accepted, refused.get());
  }

  private static Set<String> stored(InMemoryHistoryStore store) {
    Set<String> ids = new HashSet<>();
    store
        .scan(HistoryQuery.all().withLimit(Integer.MAX_VALUE))
        .records()
        .forEach(r -> ids.add(r.callId()));
    return ids;
  }

  /** Stored exactly what was accepted (sets compared by hash: the trials hold thousands). */
  private static void assertSame(int trial, Set<String> stored, Set<String> accepted) {
    Set<String> lost = new HashSet<>(accepted);
    lost.removeAll(stored);
    Set<String> unexpected = new HashSet<>(stored);
    unexpected.removeAll(accepted);
    assertThat(lost).as("trial %d: accepted, never stored", trial).isEmpty();
    assertThat(unexpected).as("trial %d: stored, never accepted", trial).isEmpty();
  }

  @Test
  void offerRacingClose_everyAcceptedRecordIsStored_andEveryLaterOfferRefused() throws Exception {
    for (int trial = 0; trial < TRIALS; trial++) {
      InMemoryHistoryStore store = new InMemoryHistoryStore(Records.XYZ);
      BufferedHistoryWriter writer = BufferedHistoryWriter.builder(store).batchSize(64).build();

      Trial seen = race(writer, trial, Duration.ofSeconds(30));

      assertSame(trial, stored(store), seen.accepted());
      assertThat(writer.dropped()).as("trial %d", trial).isEqualTo(seen.refused());
      assertThat(writer.pending()).isZero();
      assertThat(writer.offer(record(1, "late"))).isFalse();
    }
  }

  @Test
  void offerRacingClose_withASpillingBuffer_everyAcceptedRecordIsStored() throws Exception {
    for (int trial = 0; trial < TRIALS; trial++) {
      InMemoryHistoryStore store = new InMemoryHistoryStore(Records.XYZ);
      Path spill = dir.resolve("spill-" + trial);
      BufferedHistoryWriter writer =
          BufferedHistoryWriter.builder(store)
              .capacity(8)
              .batchSize(16)
              .spillDirectory(spill)
              .build();

      Trial seen = race(writer, trial, Duration.ofSeconds(30));

      assertSame(trial, stored(store), seen.accepted());
      assertThat(writer.pending()).isZero();
      try (var files = Files.list(spill)) {
        assertThat(files).as("trial %d: spill drained", trial).isEmpty();
      }
    }
  }

  @Test
  void offerRacingClose_withADeadStoreAndNoSpill_everyAcceptedRecordIsCountedAsDropped()
      throws Exception {
    ExecutionHistoryStore dead =
        ChromaHistoryStore.builder(URI.create("http://127.0.0.1:9"), Records.XYZ)
            .timeout(Duration.ofSeconds(1))
            .build();
    for (int trial = 0; trial < TRIALS / 4; trial++) {
      BufferedHistoryWriter writer =
          BufferedHistoryWriter.builder(dead)
              .capacity(1_000)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
              .build();

      Trial seen = race(writer, trial, Duration.ZERO);

      // nothing stored: every accepted record is among the dropped, beside the refused offers
      assertThat(writer.delivered()).isZero();
      assertThat(writer.dropped())
          .as("trial %d", trial)
          .isEqualTo(seen.accepted().size() + seen.refused());
      assertThat(writer.pending()).isZero();
    }
  }
}
