package dev.parallax;

import static dev.parallax.planner.testing.PreloadFixture.pastSessions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The facade's {@code preloading(...)}: off by default, one option, clear conflicts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallaxPreloadingOptionTest {

  private final AtomicInteger reservationRuns = new AtomicInteger();
  private final CountDownLatch reservationRan = new CountDownLatch(1);

  private final Tool<JsonNode, JsonNode> getUser = PreloadFixture.getUser();
  private final Tool<JsonNode, String> getReservation =
      PreloadFixture.getReservation(
          () -> {
            reservationRuns.incrementAndGet();
            reservationRan.countDown();
          });

  private final ToolRegistry tools = ToolRegistry.of(getUser, getReservation);

  @Test
  void preloading_predictedCallRunsEarly_andTheRealCallIsAHit() throws Exception {
    // README:begin
    PreloadModel model = PreloadModel.learner().learn(pastSessions()); // rules with counts
    try (Parallax parallax =
        Parallax.builder()
            .preloading(Preloading.builder().model(model).tools(getReservation).build())
            .build()) {
      parallax
          .executor()
          .executeSequential(List.of(tools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));
      // the model predicted get_reservation(R-zoe): it is already running into the cache
      CallResult<?> next =
          parallax
              .executor()
              .executeSequential(
                  List.of(tools.call("2", "get_reservation", "{\"reservation_id\":\"R-zoe\"}")))
              .results()
              .get(0);
      assertThat(next.cacheHit()).isTrue();
    }
    // README:end
    assertThat(reservationRan.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(reservationRuns).hasValue(1);
    assertThat(model.rules())
        .singleElement()
        .hasToString(
            "after get_user: get_reservation{reservation_id=result/reservations/0} p=1.00 (10/10)");
  }

  @Test
  void preloads_takeThePermitsOfTheExecutorsAdmissionControl() throws Exception {
    List<String> acquired = new CopyOnWriteArrayList<>();
    AdmissionControl recording =
        (runId, capacityAvailable) ->
            new Admission() {
              @Override
              public boolean tryAcquire(PendingCall call) {
                acquired.add(call.tool().name() + (runId.startsWith("preload-") ? " preload" : ""));
                return true;
              }

              @Override
              public void release(PendingCall call, AttemptSample sample) {}
            };
    try (Parallax parallax =
        Parallax.builder()
            .admissionControl(recording)
            .preloading(
                Preloading.builder()
                    .model(PreloadModel.learner().learn(pastSessions()))
                    .tools(getReservation)
                    .build())
            .warmStart(false)
            .build()) {
      parallax
          .executor()
          .executeSequential(List.of(tools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));
      assertThat(reservationRan.await(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acquired).containsExactly("get_user", "get_reservation preload");
  }

  @Test
  void preloadingOff_byDefault_nothingRunsBeforeItIsCalled() {
    try (Parallax parallax = Parallax.builder().warmStart(false).build()) {
      parallax
          .executor()
          .executeSequential(List.of(tools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));
    }
    assertThat(reservationRuns).hasValue(0);
  }

  @Test
  void preloadingWithAResultCache_failsTheBuildSayingWhatToDo() {
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                Parallax.builder()
                    .preloading(Preloading.builder().build())
                    .resultCache(CaffeineResultCache.builder().build())
                    .warmStart(false)
                    .build())
        .withMessageContaining("CaffeineResultCache.builder().preloading(...)");
  }

  @Test
  void ownCacheWithPreloading_countsItsHits() {
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(
                Preloading.builder()
                    .model(PreloadModel.learner().learn(pastSessions()))
                    .tools(getReservation)
                    .build())
            .build();
    try (Parallax parallax = Parallax.builder().resultCache(cache).warmStart(false).build()) {
      parallax
          .executor()
          .executeSequential(List.of(tools.call("1", "get_user", "{\"user_id\":\"ann\"}")));
      parallax
          .executor()
          .executeSequential(
              List.of(tools.call("2", "get_reservation", "{\"reservation_id\":\"R-ann\"}")));
    }
    assertThat(cache.preloadStats().started()).isEqualTo(1);
    assertThat(cache.preloadStats().hits()).isEqualTo(1);
    assertThat(reservationRuns).hasValue(1);
  }
}
