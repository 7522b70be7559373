package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.await;
import static dev.parallax.planner.testing.PreloadFixture.callAlone;
import static dev.parallax.planner.testing.PreloadFixture.json;
import static dev.parallax.planner.testing.PreloadFixture.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A preload leaves an {@link ExecutionRecord} of its own ({@link
 * CaffeineResultCacheBuilder#preloadRecords}): a user is looked up, the model predicts the lookup
 * of their first reservation, the cache runs it early, and the record sink gets the preload's
 * record — whatever the sink does, the real call is not affected.
 */
@Timeout(60)
class PreloadRecordsTest {

  private static final Duration TOOL_TIME = Duration.ofMillis(40);

  private final CacheTesting.FakeTicker ticker = new CacheTesting.FakeTicker();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();

  private volatile boolean fail;

  private final List<ExecutionRecord> preloadRecords = new CopyOnWriteArrayList<>();
  private final CountDownLatch preloadRecorded = new CountDownLatch(1);

  /**
   * get_reservation takes {@link #TOOL_TIME} on the fake ticker once released; fails if told;
   * counts its runs.
   */
  private final PreloadFixture.Held held =
      new PreloadFixture.Held(
          () -> {
            ticker.advance(TOOL_TIME);
            if (fail) {
              throw new IOException("backend down");
            }
          });

  private final AtomicInteger reservationRuns = held.runs;
  private final CountDownLatch reservationStarted = held.started;
  private final CountDownLatch release = held.release;
  private final Tool<JsonNode, JsonNode> getUser = PreloadFixture.getUser();
  private final Tool<JsonNode, String> getReservation = PreloadFixture.getReservation(held);

  private final ToolRegistry registry = ToolRegistry.of(getUser, getReservation);

  @AfterEach
  void close() {
    release.countDown();
    otel.close();
  }

  /** Collects the preload's records and opens {@link #preloadRecorded}. */
  private void collect(ExecutionRecord r) {
    preloadRecords.add(r);
    preloadRecorded.countDown();
  }

  private CaffeineResultCache cache(ExecutionRecordSink sink) {
    return CaffeineResultCache.builder()
        .openTelemetry(otel)
        .ticker(ticker)
        .preloading(Preloading.builder().model(model()).tools(getReservation).build())
        .preloadRecords(sink)
        .build();
  }

  private static ToolExecutor executor(CaffeineResultCache cache, ExecutionRecordSink records) {
    return PreloadFixture.executorFor(cache).recordSink(records).build();
  }

  /** The first call of the session: get_user(zoe); the model predicts get_reservation(R-zoe). */
  private static void lookUpZoe(ToolExecutor executor, ToolRegistry registry) {
    executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
  }

  private CallResult<?> reservationOfZoe(ToolExecutor executor) {
    return callAlone(
        executor, registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"));
  }

  @Test
  void preload_leavesOneRecord_markedPreload_withItsOwnIdsFeaturesAndLatency() throws Exception {
    CaffeineResultCache cache = cache(this::collect);
    List<ExecutionRecord> realRecords = new CopyOnWriteArrayList<>();
    try (ToolExecutor executor = executor(cache, realRecords::add)) {
      lookUpZoe(executor, registry);
      await(reservationStarted, "the preload started");
      release.countDown();
      await(preloadRecorded, "the preload's record reached the sink");

      CallResult<?> real = reservationOfZoe(executor);
      assertThat(real.value()).isEqualTo("reservation R-zoe");
      assertThat(reservationRuns).hasValue(1);
    }

    SpanData span =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("preload get_reservation"))
            .findFirst()
            .orElseThrow();
    assertThat(preloadRecords)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.preload()).isTrue();
              assertThat(r.tool()).isEqualTo("get_reservation");
              assertThat(r.callId()).isEqualTo("preload-1");
              assertThat(r.runId()).isEqualTo("preload-1");
              assertThat(r.status()).isEqualTo(CallStatus.SUCCEEDED);
              assertThat(r.errorType()).isNull();
              assertThat(r.duration()).isEqualTo(TOOL_TIME);
              assertThat(r.attempt()).isEqualTo(1);
              assertThat(r.finalAttempt()).isTrue();
              assertThat(r.inFlight()).isEqualTo(1);
              assertThat(r.cacheHit()).isFalse();
              assertThat(r.preloadHit()).isFalse();
              assertThat(r.features())
                  .isEqualTo(getReservation.features(json("{\"reservation_id\":\"R-zoe\"}")))
                  .isNotEmpty();
              assertThat(r.traceId()).isEqualTo(span.getTraceId());
              assertThat(r.spanId()).isEqualTo(span.getSpanId());
            });
    // the real call's record is the hit; the executor's records never carry preload=true
    assertThat(realRecords)
        .filteredOn(r -> r.callId().equals("r"))
        .singleElement()
        .satisfies(r -> assertThat(r.preloadHit()).isTrue())
        .satisfies(r -> assertThat(r.preload()).isFalse());
    assertThat(realRecords).noneMatch(ExecutionRecord::preload);
  }

  @Test
  void failedPreload_isRecordedFailed_withItsErrorType() throws Exception {
    fail = true;
    CaffeineResultCache cache = cache(this::collect);
    try (ToolExecutor executor = executor(cache, r -> {})) {
      lookUpZoe(executor, registry);
      release.countDown();
      await(preloadRecorded, "the failed preload's record reached the sink");
    }
    assertThat(preloadRecords)
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(CallStatus.FAILED))
        .satisfies(r -> assertThat(r.errorType()).isEqualTo(IOException.class.getName()))
        .satisfies(r -> assertThat(r.duration()).isEqualTo(TOOL_TIME))
        .satisfies(r -> assertThat(r.preload()).isTrue());
    assertThat(cache.preloadStats().failed()).isEqualTo(1);
  }

  @Test
  void cancelledPreload_isRecordedCancelled() throws Exception {
    CaffeineResultCache cache = cache(this::collect);
    try (ToolExecutor executor = executor(cache, r -> {})) {
      lookUpZoe(executor, registry);
      await(reservationStarted, "the preload started");
      cache.cancelPreloads(); // interrupts the tool, which waits for release
      await(preloadRecorded, "the cancelled preload's record reached the sink");
    }
    assertThat(preloadRecords)
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(CallStatus.CANCELLED))
        .satisfies(r -> assertThat(r.errorType()).isEqualTo("cancelled"))
        .satisfies(r -> assertThat(r.preload()).isTrue());
  }

  @Test
  void throwingRecordSink_isCountedAsASeamFailure_andTheRealCallStillGetsThePreloadedValue()
      throws Exception {
    CountDownLatch sinkFailureLogged = new CountDownLatch(1);
    Logger log = Logger.getLogger(Preloader.class.getName());
    Handler watch =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getMessage().startsWith("the preload record sink failed for preload-1")) {
              sinkFailureLogged.countDown();
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(watch);
    try {
      CaffeineResultCache cache =
          cache(
              r -> {
                throw new OutOfMemoryError("a sink gone wrong");
              });
      List<ExecutionRecord> realRecords = new CopyOnWriteArrayList<>();
      try (ToolExecutor executor = executor(cache, realRecords::add)) {
        lookUpZoe(executor, registry);
        release.countDown();
        await(sinkFailureLogged, "the sink's failure was logged");

        CallResult<?> real = reservationOfZoe(executor);

        assertThat(real.status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(real.value()).isEqualTo("reservation R-zoe");
        assertThat(reservationRuns).hasValue(1);
      }
      // counted before it was logged
      assertThat(cache.preloadStats().seamFailures()).isEqualTo(1);
      assertThat(cache.preloadStats().hits()).isEqualTo(1);
      assertThat(realRecords)
          .filteredOn(r -> r.callId().equals("r"))
          .singleElement()
          .satisfies(r -> assertThat(r.preloadHit()).isTrue());
    } finally {
      log.removeHandler(watch);
    }
  }

  @Test
  void withoutARecordSink_preloadsRunAsBefore() throws Exception {
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .ticker(ticker)
            .preloading(Preloading.builder().model(model()).tools(getReservation).build())
            .build();
    try (ToolExecutor executor = executor(cache, r -> {})) {
      lookUpZoe(executor, registry);
      await(reservationStarted, "the preload started");
      release.countDown();
      CallResult<?> real = reservationOfZoe(executor);
      assertThat(real.cacheHit()).isTrue();
    }
    assertThat(reservationRuns).hasValue(1);
    assertThat(cache.preloadStats().seamFailures()).isZero();
  }
}
