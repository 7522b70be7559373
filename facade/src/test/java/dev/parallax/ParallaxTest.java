package dev.parallax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.adaptive.limit.AdaptiveAdmissionControl;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.telemetry.ParallaxTelemetry;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The facade with its real parts: telemetry SDK, embedded store, predictor, scheduling. */
class ParallaxTest {

  @TempDir Path dir;

  private final Tool<Integer, Integer> square =
      Tools.named("square")
          .input(Integer.class)
          .features(n -> Map.of("n", (double) n))
          .function((n, ctx) -> n * n);

  private List<ToolCall<?, ?>> calls(String prefix, int count) {
    return IntStream.range(0, count)
        .<ToolCall<?, ?>>mapToObj(i -> ToolCall.of(prefix + i, square, i))
        .toList();
  }

  @Test
  void outOfTheBox_everyCallReachesHistoryAndThePredictor_andCloseLeavesNoThread()
      throws Exception {
    Path history = dir.resolve("history");
    try (Parallax parallax = Parallax.builder().historyDirectory(history).build()) {
      RunResult run = parallax.executor().executeParallel(calls("c", 20));
      assertThat(run.allSucceeded()).isTrue();
      assertThat(parallax.flushHistory(Duration.ofSeconds(30))).isTrue();
      assertThat(parallax.history().count()).isEqualTo(20);
      assertThat(parallax.predictor().windowSize()).isEqualTo(20);
      assertThat(
              parallax
                  .predictor()
                  .predict(new CallFeatures("square", Map.of("n", 3.0), 1, 1))
                  .source())
          .isIn(AdaptivePredictor.BASELINE, AdaptivePredictor.MODEL);
    }
    assertNoParallaxThreadRuns();
    try (EmbeddedHistoryStore reopened =
        EmbeddedHistoryStore.open(
            history, FeatureVectorizer.log1p(Parallax.DEFAULT_VECTOR_FEATURES))) {
      assertThat(reopened.count()).isEqualTo(20);
    }
  }

  @Test
  void closing_flushesWhatIsStillBuffered_intoHistory() {
    Path history = dir.resolve("history");
    try (Parallax parallax = Parallax.builder().historyDirectory(history).build()) {
      parallax.executor().executeParallel(calls("c", 50));
    }
    try (Parallax again = Parallax.builder().historyDirectory(history).build()) {
      assertThat(again.history().count()).isEqualTo(50);
      assertThat(again.warmStartRecords()).isEqualTo(50);
      assertThat(again.predictor().windowSize()).isEqualTo(50);
    }
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aBurstFarBeyondEveryBuffer_isInHistoryInFullAfterClose() throws Exception {
    // issue 11 item 11: a 100,000-call burst kept 12.6% (record queue and writer buffer dropped)
    Path history = dir.resolve("history");
    int burst = 20_000;
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    try (ParallaxTelemetry telemetry =
        ParallaxTelemetry.builder().recordQueueCapacity(64).metricReader(metrics).build()) {
      Parallax parallax =
          Parallax.builder()
              .historyDirectory(history)
              .telemetry(telemetry)
              .historyWriter(w -> w.capacity(100).batchSize(500))
              .build();
      try {
        RunResult run = parallax.executor().executeParallel(calls("c", burst));
        assertThat(run.allSucceeded()).isTrue();
      } finally {
        parallax.close();
      }
      assertThat(telemetry.records().dropped()).isZero();
      assertThat(parallax.historyWriter().dropped()).isZero();
      assertThat(parallax.historyWriter().pending()).isZero();
      assertThat(parallax.historyWriter().delivered()).isEqualTo(burst);
      assertThat(metricNames(metrics)).contains("parallax.history.delivered");
    }
    try (EmbeddedHistoryStore reopened =
        EmbeddedHistoryStore.open(
            history, FeatureVectorizer.log1p(Parallax.DEFAULT_VECTOR_FEATURES))) {
      assertThat(reopened.count()).isEqualTo(burst);
    }
    try (var spill = Files.list(history.resolve(ParallaxBuilder.SPILL))) {
      assertThat(spill).as("every spilled record delivered").isEmpty();
    }
  }

  private static List<String> metricNames(InMemoryMetricReader metrics) {
    return metrics.collectAllMetrics().stream().map(m -> m.getName()).toList();
  }

  @Test
  @SuppressWarnings("try") // the subscription is only closed
  void givenParts_areUsed_andNotClosed() {
    try (ParallaxTelemetry telemetry = ParallaxTelemetry.builder().build();
        EmbeddedHistoryStore store =
            EmbeddedHistoryStore.open(dir.resolve("mine"), FeatureVectorizer.log1p(List.of("n")))) {
      List<Object> seen = new ArrayList<>();
      try (AutoCloseable tap = telemetry.subscribe(seen::add);
          Parallax parallax = Parallax.builder().telemetry(telemetry).historyStore(store).build()) {
        parallax.executor().executeParallel(calls("c", 3));
        parallax.flushHistory(Duration.ofSeconds(30));
        assertThat(seen).hasSize(3);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertThat(store.count()).isEqualTo(3); // still open: closing Parallax left it alone
    }
  }

  @Test
  void cacheableTools_areAnsweredFromTheCache_byDefault() {
    java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();
    Tool<String, String> lookup =
        Tools.named("lookup")
            .cacheable(true)
            .idempotent(true)
            .input(String.class)
            .function((in, ctx) -> in + runs.incrementAndGet());
    try (Parallax parallax = Parallax.builder().historyDirectory(dir.resolve("h")).build()) {
      RunResult first = parallax.executor().executeParallel(List.of(ToolCall.of("a", lookup, "x")));
      RunResult second =
          parallax.executor().executeParallel(List.of(ToolCall.of("b", lookup, "x")));
      assertThat(second.get("b").value()).isEqualTo(first.get("a").value()).isEqualTo("x1");
      assertThat(second.get("b").cacheHit()).isTrue();
      assertThat(runs).hasValue(1);
    }
  }

  @Test
  void conflictingOptions_failAtBuild() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                Parallax.builder()
                    .historyDirectory(dir)
                    .adaptiveConcurrency(true)
                    .admissionControl(AdaptiveAdmissionControl.builder().build())
                    .build())
        .withMessageContaining("adaptiveConcurrency(true) and admissionControl(...) both set");
  }

  @Test
  void historyThatCannotOpen_failsAtBuild_andLeavesNothingRunning() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> Parallax.builder().historyDirectory(notADirectory).build())
        .isInstanceOf(HistoryStoreException.class);
    assertNoParallaxThreadRuns();
  }

  /** Joins every thread named parallax-*: close must have told each to stop. */
  private static void assertNoParallaxThreadRuns() throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("parallax-")) {
        t.join(Duration.ofSeconds(30));
        assertThat(t.isAlive()).as("thread %s still running after close", t.getName()).isFalse();
      }
    }
  }
}
