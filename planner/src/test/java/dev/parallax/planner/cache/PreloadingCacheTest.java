package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.WAIT_SECONDS;
import static dev.parallax.planner.cache.CacheTesting.await;
import static dev.parallax.planner.testing.PreloadFixture.callAlone;
import static dev.parallax.planner.testing.PreloadFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.PreloadStats;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Preloading through the real executor: a user is looked up, the model predicts the lookup of their
 * first reservation, the cache starts it early, and the agent's real call is a hit.
 */
@Timeout(60)
class PreloadingCacheTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final CountDownLatch preloadSpanEnded = new CountDownLatch(1);
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .addSpanProcessor(countDownOnEnd("preload get_reservation", preloadSpanEnded))
                  .build())
          .build();

  /** Counts the latch down once a span of that name has ended (and was exported before it). */
  private static SpanProcessor countDownOnEnd(String name, CountDownLatch latch) {
    return new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        if (span.getName().equals(name)) {
          latch.countDown();
        }
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
  }

  private final AtomicInteger cancelRuns = new AtomicInteger();

  /** get_reservation blocks until released and counts its runs. */
  private final PreloadFixture.Held held = new PreloadFixture.Held();

  private final AtomicInteger reservationRuns = held.runs;
  private final CountDownLatch reservationStarted = held.started;
  private final CountDownLatch release = held.release;
  private final CountDownLatch interrupted = held.interrupted;
  private final Tool<JsonNode, JsonNode> getUser = PreloadFixture.getUser();
  private final Tool<JsonNode, String> getReservation = PreloadFixture.getReservation(held);

  /** Has side effects: must never be preloaded. */
  private final Tool<JsonNode, String> cancel =
      Tools.named("cancel")
          .function(
              (args, ctx) -> {
                cancelRuns.incrementAndGet();
                return "cancelled";
              });

  private final ToolRegistry registry = ToolRegistry.of(getUser, getReservation, cancel);

  @AfterEach
  void close() {
    release.countDown();
    otel.close();
  }

  /** Ten users, each looked up, then their first reservation, then cancelled. */
  private static PreloadModel model() {
    List<List<ObservedCall>> sessions = PreloadFixture.pastSessions();
    for (List<ObservedCall> calls : sessions) {
      calls.add(new ObservedCall("cancel", calls.get(1).arguments(), json("\"ok\"")));
    }
    return PreloadModel.learner().learn(sessions);
  }

  private CaffeineResultCache cache() {
    return CaffeineResultCache.builder()
        .openTelemetry(otel)
        .preloading(Preloading.builder().model(model()).tools(getReservation).build())
        .build();
  }

  private ToolExecutor executor(CaffeineResultCache cache) {
    return PreloadFixture.executorFor(cache).openTelemetry(otel).build();
  }

  @Test
  void predictedCall_startsEarly_andTheRealCallIsAPreloadHit() throws Exception {
    CaffeineResultCache cache = cache();
    try (ToolExecutor executor = executor(cache)) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
      await(reservationStarted, "the predicted reservation lookup started early");
      release.countDown();

      CallResult<?> real =
          callAlone(
              executor, registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"));

      assertThat(real.value()).isEqualTo("reservation R-zoe");
      assertThat(real.cacheHit()).isTrue();
      assertThat(reservationRuns).hasValue(1);
      assertThat(cache.preloadStats())
          .isEqualTo(new PreloadStats(1, 1, 0, 0, 0, 0, 0, 0, List.of(), 0, 0, 0, 0, 0));
      assertThat(cancelRuns).hasValue(0);
    }
    // the preload's span ends on its own thread, after the real call got the value: wait for it
    // (regression: this test read the spans before that and flaked under load)
    await(preloadSpanEnded, "the preload's span ended");
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished)
        .filteredOn(s -> s.getName().equals("preload get_reservation"))
        .singleElement()
        .satisfies(s -> assertThat(s.getAttributes().get(Preloading.PRELOAD)).isTrue());
    assertThat(finished)
        .filteredOn(s -> s.getName().equals("execute_tool get_reservation"))
        .singleElement()
        .satisfies(s -> assertThat(s.getAttributes().get(Preloading.PRELOAD_HIT)).isTrue());
  }

  @Test
  void realCallAnsweredByAPreload_isMarkedInItsRecord_andALaterRepeatIsAPlainHit()
      throws Exception {
    CaffeineResultCache cache = cache();
    List<ExecutionRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ToolExecutor executor =
        PreloadFixture.executorFor(cache).recordSink(records::add).build()) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
      await(reservationStarted, "the predicted reservation lookup started early");
      release.countDown();
      executor.executeSequential(
          List.of(
              registry.call("r1", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"),
              registry.call("r2", "get_reservation", "{\"reservation_id\":\"R-zoe\"}")));
    }

    assertThat(records)
        .filteredOn(r -> r.callId().equals("r1"))
        .singleElement()
        .satisfies(r -> assertThat(r.preloadHit()).isTrue())
        .satisfies(r -> assertThat(r.cacheHit()).isTrue());
    assertThat(records)
        .filteredOn(r -> r.callId().equals("r2"))
        .singleElement()
        .satisfies(r -> assertThat(r.preloadHit()).isFalse())
        .satisfies(r -> assertThat(r.cacheHit()).isTrue());
    assertThat(records)
        .filteredOn(r -> r.callId().equals("u"))
        .singleElement()
        .satisfies(r -> assertThat(r.preloadHit()).isFalse());
  }

  @Test
  void realCallDuringThePreload_joinsIt_andTheToolRunsOnce() throws Exception {
    CountDownLatch joined = new CountDownLatch(1);
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .onJoin(joined::countDown)
            .preloading(Preloading.builder().model(model()).tools(getReservation).build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
      await(reservationStarted, "the preload started");
      var run =
          executor.start(
              dev.parallax.core.call.ExecutionPlan.sequential(
                  List.of(
                      registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"))));
      await(joined, "the real call joined the preload");
      release.countDown();
      CallResult<?> real = run.result().get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0);

      assertThat(real.cacheHit()).isTrue();
      assertThat(reservationRuns).hasValue(1);
      assertThat(cache.preloadStats().hits()).isEqualTo(1);
    }
  }

  @Test
  void cancelPreloads_interruptsAnUnusedPreload_andTheRealCallRunsTheTool() throws Exception {
    CaffeineResultCache cache = cache();
    try (ToolExecutor executor = executor(cache)) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
      await(reservationStarted, "the preload started");

      cache.cancelPreloads();
      await(interrupted, "the preloaded tool was interrupted");
      release.countDown();

      CallResult<?> real =
          callAlone(
              executor, registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"));
      assertThat(real.value()).isEqualTo("reservation R-zoe");
      assertThat(reservationRuns).hasValue(2);
      assertThat(cache.preloadStats().started()).isEqualTo(1);
      assertThat(cache.preloadStats().hits()).isZero();
    }
  }

  @Test
  void predictedToolNeverSeen_isNotPreloaded() {
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(Preloading.builder().model(model()).build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
    }
    assertThat(reservationRuns).hasValue(0);
    assertThat(cache.preloadStats().started()).isZero();
  }

  @Test
  void toolWithSideEffects_cannotBeGivenForPreloading() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Preloading.builder().tools(cancel))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tool 'cancel' cannot be preloaded: only tools declared idempotent and cacheable are"
                + " (idempotent=false, cacheable=false)");
  }

  @Test
  void preloadingOff_byDefault_startsNothing() {
    CaffeineResultCache cache = CaffeineResultCache.builder().build();
    try (ToolExecutor executor = executor(cache)) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
    }
    assertThat(reservationRuns).hasValue(0);
    assertThat(cache.preloadStats())
        .isEqualTo(new PreloadStats(0, 0, 0, 0, 0, 0, 0, 0, List.of(), 0, 0, 0, 0, 0));
  }

  /** Blocks until released: two of its calls in a run limited to one keep the second waiting. */
  private final CountDownLatch slowRelease = new CountDownLatch(1);

  private final Tool<JsonNode, String> slow =
      Tools.named("slow")
          .function(
              (args, ctx) -> {
                slowRelease.await(WAIT_SECONDS, TimeUnit.SECONDS);
                return "slow";
              });

  /** An executor whose runs run one call at a time; {@code waiting} counts capacity waits. */
  private ToolExecutor oneAtATime(CaffeineResultCache cache, CountDownLatch waiting) {
    return ToolExecutor.builder()
        .maxConcurrency(1)
        .resultCache(cache)
        .listener(cache.preloadListener()) // first: it has acted when the next listener hears
        .listener(
            new dev.parallax.core.event.ExecutionListener() {
              @Override
              public void onWaitingForCapacity(dev.parallax.core.spi.PendingCall call) {
                waiting.countDown();
              }
            })
        .build();
  }

  private dev.parallax.core.call.ExecutionPlan twoSlowCalls() {
    ToolRegistry slowOnes = ToolRegistry.of(slow);
    return dev.parallax.core.call.ExecutionPlan.parallel(
        List.of(slowOnes.call("s1", "slow", "{}"), slowOnes.call("s2", "slow", "{}")));
  }

  @Test
  void realCallWaitingForCapacity_cancelsARunningPreload_andItsRuleIsNotBlamed() throws Exception {
    CaffeineResultCache cache = cache();
    CountDownLatch waiting = new CountDownLatch(1);
    try (ToolExecutor executor = oneAtATime(cache, waiting)) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
      await(reservationStarted, "the preload started");

      var busy = executor.start(twoSlowCalls()); // s2 waits for s1's slot
      await(waiting, "a real call waited for capacity");
      await(interrupted, "the running preload was interrupted");
      slowRelease.countDown();
      busy.result().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // the real call finds nothing under way: it runs the tool itself
      release.countDown();
      CallResult<?> real =
          callAlone(
              executor, registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"));
      assertThat(real.value()).isEqualTo("reservation R-zoe");
      assertThat(real.cacheHit()).isFalse();
      assertThat(reservationRuns).hasValue(2);
      PreloadStats stats = cache.preloadStats();
      assertThat(stats.cancelledForCapacity()).isEqualTo(1);
      assertThat(stats.hits()).isZero();
      assertThat(stats.suspendedRules()).isEmpty();
    }
  }

  @Test
  void preloadJoinedByARealCall_runsOnWhenAnotherCallWaitsForCapacity() throws Exception {
    CountDownLatch joined = new CountDownLatch(1);
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .onJoin(joined::countDown)
            .preloading(Preloading.builder().model(model()).tools(getReservation).build())
            .build();
    CountDownLatch waiting = new CountDownLatch(1);
    try (ToolExecutor executor = oneAtATime(cache, waiting)) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
      await(reservationStarted, "the preload started");
      var real =
          executor.start(
              dev.parallax.core.call.ExecutionPlan.sequential(
                  List.of(
                      registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"))));
      await(joined, "the real call joined the preload");

      var busy = executor.start(twoSlowCalls());
      await(waiting, "another real call waited for capacity (the preloader has acted on it)");
      release.countDown();
      CallResult<?> result = real.result().get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0);
      slowRelease.countDown();
      busy.result().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // regression: cancelling a preload a real call had joined failed that real call
      assertThat(result.status()).isEqualTo(dev.parallax.core.call.CallStatus.SUCCEEDED);
      assertThat(result.value()).isEqualTo("reservation R-zoe");
      assertThat(interrupted.getCount()).isEqualTo(1); // the joined preload was never interrupted
      assertThat(reservationRuns).hasValue(1);
      assertThat(cache.preloadStats().cancelledForCapacity()).isZero();
      assertThat(cache.preloadStats().hits()).isEqualTo(1);
    }
  }
}
