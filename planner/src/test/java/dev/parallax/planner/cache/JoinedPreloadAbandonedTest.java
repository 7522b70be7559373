package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.WAIT_SECONDS;
import static dev.parallax.planner.cache.CacheTesting.await;
import static dev.parallax.planner.testing.PreloadFixture.callAlone;
import static dev.parallax.planner.testing.PreloadFixture.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.ToolPolicy;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A preload joined by a real call that then gave up (timed out). */
@Timeout(90)
class JoinedPreloadAbandonedTest {

  private final PreloadFixture.Held held = new PreloadFixture.Held();

  /** get_reservation: R-zoe hangs (until interrupted or released), the others answer. */
  private final Tool<JsonNode, String> getReservation =
      Tools.named("get_reservation")
          .idempotent(true)
          .cacheable(true)
          .function(
              (args, ctx) -> {
                String id = args.get("reservation_id").asText();
                if (id.equals("R-zoe")) {
                  held.run();
                }
                return "reservation " + id;
              });

  private final ToolRegistry registry = ToolRegistry.of(PreloadFixture.getUser(), getReservation);

  @AfterEach
  void release() {
    held.release.countDown();
  }

  @Test
  void joinedPreload_whoseRealCallTimedOut_isInterrupted_andGivesItsPermitBack() throws Exception {
    PreloadAdmissionTest.SharedToolLimits limits = new PreloadAdmissionTest.SharedToolLimits(1);
    CountDownLatch joined = new CountDownLatch(1);
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(Preloading.builder().model(model()).tools(getReservation).build())
            .preloadAdmission(limits)
            .onJoin(joined::countDown)
            .build();
    VirtualTime time = new VirtualTime();
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .timeSource(time)
            .resultCache(cache)
            .listener(cache.preloadListener())
            .admissionControl(limits)
            .toolPolicy(
                "get_reservation",
                ToolPolicy.builder().attemptTimeout(Duration.ofSeconds(1)).build())
            .build()) {
      callAlone(executor, registry.call("u", "get_user", "{\"user_id\":\"zoe\"}"));
      await(held.started, "the preload of R-zoe started, holding get_reservation's one permit");

      ToolRun zoe =
          executor.start(
              ExecutionPlan.sequential(
                  List.of(
                      registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"))));
      await(joined, "the refused real call joined its own preload");
      time.advance(Duration.ofSeconds(1));
      assertThat(zoe.result().get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0).status())
          .isEqualTo(CallStatus.TIMED_OUT);

      // nobody waits for the preload any more: it is speculative again, and interrupted
      assertThat(held.interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("the abandoned preload was interrupted")
          .isTrue();
      assertThat(
              callAlone(
                      executor,
                      registry.call("a", "get_reservation", "{\"reservation_id\":\"R-ann\"}"))
                  .status())
          .isEqualTo(CallStatus.SUCCEEDED);
    }
  }
}
