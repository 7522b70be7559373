package dev.parallax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.adaptive.limit.AdaptiveAdmissionControl;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.fallback.ToolFallbacks;
import dev.parallax.planner.fallback.ToolHealth;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.InMemoryHistoryStore;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.telemetry.ParallaxTelemetry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  // Regression (issue 12): build() wrote to ~/.parallax/history unless told otherwise.
  @Test
  @Timeout(60)
  void byDefault_historyIsInMemory_andNothingIsWrittenToTheHomeDirectory() throws Exception {
    Path home = Path.of(System.getProperty("user.home"), ".parallax");
    boolean existedBefore = Files.exists(home);
    try (Parallax parallax = Parallax.builder().build()) {
      assertThat(parallax.history()).isInstanceOf(InMemoryHistoryStore.class);
      parallax.executor().executeParallel(calls("c", 5));
      assertThat(parallax.flushHistory(Duration.ofSeconds(30))).isTrue();
      assertThat(parallax.history().count()).isEqualTo(5);
    }
    if (!existedBefore) {
      assertThat(home).doesNotExist();
    }
  }

  @Test
  void historyDirectoryAndHistoryStore_bothSet_failAtBuild() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                Parallax.builder()
                    .historyDirectory(dir)
                    .historyStore(new InMemoryHistoryStore(FeatureVectorizer.log1p(List.of("n"))))
                    .build())
        .withMessageContaining("historyStore(...) and historyDirectory(...) both set");
  }

  // Regression (issue 12): executor(...) options for these seams were silently overwritten.
  @ParameterizedTest
  @ValueSource(strings = {"openTelemetry", "predictor", "scheduling", "resultCache"})
  @Timeout(60)
  void aSeamTheFacadeWires_setThroughExecutorOptions_failsAtBuild_namingIt(String option)
      throws Exception {
    UnaryOperator<ToolExecutor.Builder> options =
        switch (option) {
          case "openTelemetry" -> b -> b.openTelemetry(OpenTelemetry.noop());
          case "predictor" -> b -> b.predictor(Predictor.NONE);
          case "scheduling" -> b -> b.scheduling(SchedulingPolicy.fifo());
          case "resultCache" -> b -> b.resultCache(ResultCache.NONE);
          default -> throw new AssertionError(option);
        };
    assertThatIllegalStateException()
        .isThrownBy(() -> Parallax.builder().executor(options).build())
        .withMessageStartingWith(option + "(...) set through executor(...)")
        .withMessageContaining("use ParallaxBuilder.");
    assertNoParallaxThreadRuns();
  }

  @Test
  @Timeout(60)
  void fallbackSetInBothPlaces_failsAtBuild_butEitherPlaceAloneIsUsed() {
    FallbackPolicy mine = new FallbackPolicy() {};
    assertThatIllegalStateException()
        .isThrownBy(() -> Parallax.builder().fallback(mine).executor(b -> b.fallback(mine)).build())
        .withMessageContaining("fallback(...) set both through executor(...) and ParallaxBuilder");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                Parallax.builder()
                    .adaptiveConcurrency(true)
                    .executor(b -> b.admissionControl(AdaptiveAdmissionControl.builder().build()))
                    .build())
        .withMessageContaining("admissionControl(...) set both");

    AtomicInteger swaps = new AtomicInteger();
    FallbackPolicy counting =
        new FallbackPolicy() {
          @Override
          public @Nullable Swap replaceBeforeStart(PendingCall call) {
            swaps.incrementAndGet();
            return null;
          }
        };
    try (Parallax parallax =
        Parallax.builder().executor(b -> b.maxConcurrency(4).fallback(counting)).build()) {
      assertThat(parallax.executor().executeParallel(calls("c", 3)).allSucceeded()).isTrue();
    }
    assertThat(swaps).as("the fallback given through executor(...) is used").hasValue(3);
  }

  // Regression (issue 12): the facade fed ToolFallbacks' breakers only through an instanceof
  // ExecutionListener check.
  @Test
  @Timeout(60)
  void toolFallbacks_learnThroughTheFacade_andOpenTheCircuit() {
    Tool<Integer, Integer> down =
        Tools.named("down")
            .input(Integer.class)
            .function(
                (n, ctx) -> {
                  throw new java.io.IOException("down");
                });
    Tool<Integer, Integer> backup =
        Tools.named("backup").input(Integer.class).function((n, ctx) -> n);
    ToolFallbacks fallbacks =
        ToolFallbacks.builder()
            .chain(down, backup)
            // only the breaker decides here: the facade's predictor learns the same failures
            // through the record queue, and its "predicted success" swap could come first
            .minPredictedSuccess(0)
            .breaker(
                CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(4)
                    .minimumNumberOfCalls(4)
                    .failureRateThreshold(50)
                    .waitDurationInOpenState(Duration.ofHours(1))
                    .build())
            .build();
    try (Parallax parallax = Parallax.builder().fallback(fallbacks).build()) {
      for (int i = 0; i < 4; i++) {
        RunResult run = parallax.executor().executeParallel(List.of(ToolCall.of("c" + i, down, i)));
        assertThat(run.get("c" + i).tool()).isEqualTo("backup");
      }
      assertThat(fallbacks.health("down").state()).isEqualTo(ToolHealth.State.OPEN);
      RunResult after = parallax.executor().executeParallel(List.of(ToolCall.of("x", down, 1)));
      assertThat(after.get("x").fallbackReason()).isEqualTo("circuit open for down");
    }
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
