package dev.parallax;

import static dev.parallax.planner.testing.PreloadFixture.pastSessions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.trace.ToolSpanAttributes;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.telemetry.ParallaxTelemetry;
import dev.parallax.telemetry.metrics.ToolMetrics;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With the facade's {@code preloading(...)}, a preload's record goes where the executor's records
 * go: the history and the latency model (which otherwise never sees a preloaded execution: the real
 * call it answered is a cache hit, ignored).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallaxPreloadRecordsTest {

  private final Tool<JsonNode, JsonNode> getUser = PreloadFixture.getUser();
  private final Tool<JsonNode, String> getReservation = PreloadFixture.getReservation();

  private final ToolRegistry tools = ToolRegistry.of(getUser, getReservation);

  /** Preloads get_reservation after get_user, as the past sessions did. */
  private Preloading preloading() {
    return Preloading.builder()
        .model(PreloadModel.learner().learn(pastSessions()))
        .tools(getReservation)
        .build();
  }

  @Test
  void preloadRecord_reachesTheHistoryAndTheLatencyModel() throws Exception {
    AtomicReference<ExecutionRecord> preloadRecord = new AtomicReference<>();
    CountDownLatch preloadSeen = new CountDownLatch(1);
    try (Parallax parallax = Parallax.builder().preloading(preloading()).warmStart(false).build()) {
      // subscribed after the model and the history writer: they got a record before this does
      try (AutoCloseable watch =
          parallax
              .telemetry()
              .subscribe(
                  r -> {
                    if (r.preload()) {
                      preloadRecord.set(r);
                      preloadSeen.countDown();
                    }
                  })) {
        parallax
            .executor()
            .executeSequential(List.of(tools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));
        assertThat(preloadSeen.await(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(parallax.flushHistory(Duration.ofSeconds(30))).isTrue();

      ExecutionRecord preload = preloadRecord.get();
      assertThat(preload.tool()).isEqualTo("get_reservation");
      assertThat(preload.status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(preload.callId()).startsWith("preload-");
      assertThat(parallax.history().scan(HistoryQuery.forTool("get_reservation")).records())
          .containsExactly(preload);
      // the model learnt the tool from the preload alone: its baseline answers, not the prior
      assertThat(parallax.predictor().predict(CallFeatures.of(preload)).source())
          .isEqualTo(AdaptivePredictor.BASELINE);
    }
  }

  @Test
  void ownCache_givenTheTelemetrysRecords_preloadRecordsReachTheHistory() throws Exception {
    PreloadModel model = PreloadModel.learner().learn(pastSessions());
    CountDownLatch preloadSeen = new CountDownLatch(1);
    // README:begin
    ParallaxTelemetry telemetry = ParallaxTelemetry.builder().build();
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .openTelemetry(telemetry.openTelemetry())
            .preloading(Preloading.builder().model(model).tools(getReservation).build())
            .preloadRecords(telemetry.records()) // preloads' records: history, metrics, model
            .build();
    try (telemetry;
        Parallax parallax = Parallax.builder().telemetry(telemetry).resultCache(cache).build()) {
      // README:end
      try (AutoCloseable watch =
          telemetry.subscribe(
              r -> {
                if (r.preload()) {
                  preloadSeen.countDown();
                }
              })) {
        parallax
            .executor()
            .executeSequential(List.of(tools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));
        assertThat(preloadSeen.await(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(parallax.flushHistory(Duration.ofSeconds(30))).isTrue();
      assertThat(parallax.history().scan(HistoryQuery.forTool("get_reservation")).records())
          .singleElement()
          .satisfies(r -> assertThat(r.preload()).isTrue());
      assertThat(cache.preloadStats().seamFailures()).isZero();
    }
  }

  /**
   * Regression: sinks added with {@code executor(b -> b.recordSink(...))} did not receive preload
   * records (only the telemetry's {@code records()} did).
   */
  @Test
  void preloadRecord_reachesEverySinkAddedThroughTheExecutorOptions() throws Exception {
    List<ExecutionRecord> mine = new CopyOnWriteArrayList<>();
    CountDownLatch preloadSeen = new CountDownLatch(1);
    CountDownLatch telemetrySaw = new CountDownLatch(1);
    try (Parallax parallax =
            Parallax.builder()
                .preloading(preloading())
                .warmStart(false)
                .executor(
                    b ->
                        b.recordSink(
                                r -> {
                                  if (r.preload()) {
                                    throw new IllegalStateException(
                                        "a sink that fails on preloads");
                                  }
                                })
                            .recordSink(
                                r -> {
                                  mine.add(r);
                                  if (r.preload()) {
                                    preloadSeen.countDown();
                                  }
                                }))
                .build();
        AutoCloseable watch =
            parallax
                .telemetry()
                .subscribe(
                    r -> {
                      if (r.preload()) {
                        telemetrySaw.countDown();
                      }
                    })) {
      parallax
          .executor()
          .executeSequential(List.of(tools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));

      assertThat(preloadSeen.await(30, TimeUnit.SECONDS)).as("the user's sink").isTrue();
      assertThat(telemetrySaw.await(30, TimeUnit.SECONDS)).as("the telemetry, still").isTrue();
      assertThat(mine)
          .filteredOn(ExecutionRecord::preload)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.tool()).isEqualTo("get_reservation");
                assertThat(r.status()).isEqualTo(CallStatus.SUCCEEDED);
                assertThat(r.callId()).startsWith("preload-");
              });
      assertThat(mine)
          .filteredOn(r -> !r.preload())
          .extracting(ExecutionRecord::tool)
          .containsExactly("get_user");
      assertThat(parallax.executor().recordSinkFailures())
          .as("the failing sink, counted where the executor counts its sinks' failures")
          .isOne();
    }
  }

  /**
   * The tool metrics tell preloads apart: a preload's duration carries {@code
   * parallax.preload=true}; the agent's own calls (the real call the preload answered included) do
   * not. Real OpenTelemetry SDK, in-memory metric reader.
   */
  @Test
  void preloadMetrics_carryParallaxPreloadTrue_throughTheFacade() throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    CountDownLatch preloadSeen = new CountDownLatch(1);
    try (ParallaxTelemetry telemetry = ParallaxTelemetry.builder().metricReader(reader).build();
        Parallax parallax =
            Parallax.builder()
                .telemetry(telemetry)
                .preloading(preloading())
                .warmStart(false)
                .build();
        AutoCloseable watch =
            telemetry.subscribe(
                r -> {
                  if (r.preload()) {
                    preloadSeen.countDown(); // its metrics were recorded before it was queued
                  }
                })) {
      parallax
          .executor()
          .executeSequential(List.of(tools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));
      assertThat(preloadSeen.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(
              parallax
                  .executor()
                  .executeSequential(
                      List.of(tools.call("2", "get_reservation", "{\"reservation_id\":\"R-zoe\"}")))
                  .results()
                  .get(0)
                  .cacheHit())
          .isTrue();
      // the real call's record reached the metrics when the executor handed it to the telemetry
      Map<Attributes, Long> durations =
          reader.collectAllMetrics().stream()
              .filter(m -> m.getName().equals(ToolMetrics.DURATION))
              .flatMap(m -> m.getHistogramData().getPoints().stream())
              .collect(
                  Collectors.toMap(
                      HistogramPointData::getAttributes, HistogramPointData::getCount));

      assertThat(ToolMetrics.PRELOAD).isEqualTo(Preloading.PRELOAD);
      assertThat(durations)
          .containsOnly(
              Map.entry(Attributes.of(ToolSpanAttributes.TOOL_NAME, "get_user"), 1L),
              Map.entry(
                  Attributes.of(
                      ToolSpanAttributes.TOOL_NAME, "get_reservation", ToolMetrics.PRELOAD, true),
                  1L),
              Map.entry(Attributes.of(ToolSpanAttributes.TOOL_NAME, "get_reservation"), 1L));
    }
  }
}
