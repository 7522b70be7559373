package dev.parallax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.adaptive.ToolModelChoice;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.storage.neighbours.StoreNeighbours;
import dev.parallax.storage.neighbours.ToolScaledVectorizer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storeNeighbours(true)}: the real embedded store's k nearest neighbours answer the
 * predictor's k-nearest-neighbour tools on the call path, from the cache, once queried in the
 * background.
 */
@Timeout(120)
class ParallaxStoreNeighboursOptionTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String TOOL = "fetch";

  /** Latency a step in the feature, with a little noise: 1,500 calls one second apart. */
  private static List<ExecutionRecord> history() {
    Random random = new Random(5);
    List<ExecutionRecord> out = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      double bytes = 1 + random.nextInt(20);
      double seconds = (bytes < 10 ? 0.01 : 1.0) * Math.exp(0.05 * random.nextGaussian());
      out.add(
          ExecutionRecord.builder()
              .tool(TOOL)
              .callId("c" + i)
              .traceId("0123456789abcdef0123456789abcdef")
              .spanId(String.format("%016x", i + 1))
              .runId("run")
              .start(T0.plusSeconds(i))
              .duration(Duration.ofNanos(Math.round(seconds * 1e9)))
              .status(CallStatus.SUCCEEDED)
              .attempts(1)
              .queueWait(Duration.ZERO)
              .inFlight(1)
              .cacheHit(false)
              .features(Map.of("bytes", bytes))
              .build());
    }
    return out;
  }

  /** Holds tasks until run. */
  private static final class HeldExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
      tasks.add(task);
    }

    synchronized int pending() {
      return tasks.size();
    }

    void runAll() {
      Runnable r;
      while ((r = poll()) != null) {
        r.run();
      }
    }

    private synchronized Runnable poll() {
      return tasks.poll();
    }
  }

  @Test
  void storeNeighbours_embeddedStore_answersFromTheCacheOnceQueried(@TempDir Path dir) {
    List<ExecutionRecord> history = history();
    HeldExecutor held = new HeldExecutor();
    Clock clock = Clock.fixed(T0.plusSeconds(1600), ZoneOffset.UTC);
    try (EmbeddedHistoryStore store =
        EmbeddedHistoryStore.open(dir, ToolScaledVectorizer.fit(history))) {
      store.append(history);
      try (Parallax parallax =
          Parallax.builder()
              .historyStore(store)
              .clock(clock)
              .storeNeighbours(true)
              .predictorOptions(
                  b ->
                      b.latencyModel(LatencyModelType.NEAREST_NEIGHBOURS)
                          .retrainEvery(Integer.MAX_VALUE)
                          .trainingExecutor(Runnable::run)
                          .historyNeighboursExecutor(held)
                          .historyNeighboursGate(0)) // answers uncompared: the wiring here
              .build()) {
        AdaptivePredictor predictor = parallax.predictor();
        assertThat(parallax.warmStartRecords()).isEqualTo(1500);
        ToolModelChoice choice = predictor.report().latencyByTool().get(TOOL);
        assertThat(choice).as(predictor.report().toString()).isNotNull();
        assertThat(choice.used()).as(choice.reason()).isTrue();
        assertThat(choice.model()).startsWith("knn");
        assertThat(choice.shrinkage()).isEqualTo(1.0);
        int k = Integer.parseInt(choice.model().substring(3));

        CallFeatures call = new CallFeatures(TOOL, Map.of("bytes", 15.0), 0, 1);
        Prediction inMemory = predictor.predict(call);
        assertThat(held.pending()).isEqualTo(1);
        held.runAll(); // the real store query, off the caller's thread

        Prediction fromStore = predictor.predict(call);
        double expected =
            StoreNeighbours.of(store, k).estimate(TOOL, Map.of("bytes", 15.0)).logLatency();
        assertThat(fromStore.source()).startsWith(AdaptivePredictor.MODEL);
        assertThat(Math.log(fromStore.latency().toNanos() / 1e9))
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(predictor.neighbourStats().storeAnswers()).isEqualTo(1);
        assertThat(predictor.neighbourStats().queries()).isEqualTo(1);
        // the in-memory answer came from the newest 512 calls, the store's from all 1,500
        assertThat(fromStore.latency()).isNotEqualTo(inMemory.latency());
      }
    }
  }

  /** The README's snippet (docs-drafts/StoreNeighboursLiveSnippet.java), its body verbatim. */
  private static Parallax readmeSnippet(List<ExecutionRecord> sample, Path directory) {
    // README:begin
    ToolScaledVectorizer space = ToolScaledVectorizer.fit(sample); // fixed for the store's life
    EmbeddedHistoryStore store = EmbeddedHistoryStore.open(directory, space); // yours to close
    Parallax parallax =
        Parallax.builder()
            .historyStore(store)
            .storeNeighbours(true) // kNN tools answer from the whole history, through a cache
            .build();
    // parallax.predictor().neighbourStats(): store answers, misses, refreshes, drops, failures
    // README:end
    return parallax;
  }

  @Test
  void readmeSnippet_buildsWithTheStoreAndCloses(@TempDir Path dir) {
    List<ExecutionRecord> history = history();
    Parallax parallax = readmeSnippet(history, dir);
    try (var store = (EmbeddedHistoryStore) parallax.history();
        parallax) { // the instance first, then the store
      store.append(history);
      CallFeatures call = new CallFeatures(TOOL, Map.of("bytes", 15.0), 0, 1);
      assertThat(parallax.predictor().predict(call)).isNotNull();
    }
  }

  @Test
  void storeNeighbours_defaultStore_failsNamingTheVectorizer() {
    assertThatIllegalStateException()
        .isThrownBy(() -> Parallax.builder().storeNeighbours(true).build())
        .withMessageContaining("ToolScaledVectorizer")
        .withMessageContaining("in-memory");
  }

  @Test
  void storeNeighbours_withAGivenPredictor_fails() {
    try (AdaptivePredictor given = AdaptivePredictor.builder().build()) {
      assertThatIllegalStateException()
          .isThrownBy(() -> Parallax.builder().predictor(given).storeNeighbours(true).build())
          .withMessageContaining("predictor(...)");
    }
  }
}
