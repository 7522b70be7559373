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
import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A preload joined by a real call that then gave up (timed out, cancelled). */
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

  /**
   * Regression: an attempt started as a join, but cancelled before its runner ran it (the run was
   * cancelled while the runner still held it), never released its join: the preload stayed joined,
   * uncancellable, holding its permit until it ended on its own.
   */
  @Test
  void joinedAttemptCancelledBeforeItStarted_releasesItsJoin_soThePreloadIsCancelled()
      throws Exception {
    HeldRunner runner = new HeldRunner(false);
    try (ToolExecutor executor = executor(runner, new VirtualTime())) {
      ToolRun zoe = joinZoe(executor, runner);

      assertThat(zoe.cancel()).isTrue();
      assertThat(zoe.result().get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0).status())
          .isEqualTo(CallStatus.CANCELLED);
      runner.held.take().runHere(); // the runner gets to it only now: it never starts

      assertPreloadCancelledAndPermitBack(executor);
    }
  }

  /**
   * Regression, the same gap through a runner that reports a cancelled attempt at once without
   * running it (a simulator's handle): the joined attempt timed out before it started.
   */
  @Test
  void joinedAttemptTimedOutBeforeItStarted_releasesItsJoin_soThePreloadIsCancelled()
      throws Exception {
    HeldRunner runner = new HeldRunner(true);
    VirtualTime time = new VirtualTime();
    try (ToolExecutor executor = executor(runner, time)) {
      ToolRun zoe = joinZoe(executor, runner);

      time.advance(Duration.ofSeconds(1));
      assertThat(zoe.result().get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0).status())
          .isEqualTo(CallStatus.TIMED_OUT);

      assertPreloadCancelledAndPermitBack(executor);
    }
  }

  private final PreloadAdmissionTest.SharedToolLimits limits =
      new PreloadAdmissionTest.SharedToolLimits(1);
  private final CountDownLatch joined = new CountDownLatch(1);

  private ToolExecutor executor(CallRunner runner, VirtualTime time) {
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(Preloading.builder().model(model()).tools(getReservation).build())
            .preloadAdmission(limits)
            .onJoin(joined::countDown)
            .build();
    return ToolExecutor.builder()
        .timeSource(time)
        .runner(runner)
        .resultCache(cache)
        .listener(cache.preloadListener())
        .admissionControl(limits)
        .toolPolicy(
            "get_reservation", ToolPolicy.builder().attemptTimeout(Duration.ofSeconds(1)).build())
        .build();
  }

  /** Preloads R-zoe, then starts the real call, which joins it; the runner holds its attempt. */
  private ToolRun joinZoe(ToolExecutor executor, HeldRunner runner) throws Exception {
    callAlone(executor, registry.call("u", "get_user", "{\"user_id\":\"zoe\"}"));
    await(held.started, "the preload of R-zoe started, holding get_reservation's one permit");
    runner.holding.set(true);
    ToolRun zoe =
        executor.start(
            ExecutionPlan.sequential(
                List.of(registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"))));
    await(joined, "the refused real call joined its own preload");
    AttemptExecution attempt = runner.held.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(attempt).as("the runner holds the joined attempt").isNotNull();
    runner.held.add(attempt);
    runner.holding.set(false);
    return zoe;
  }

  private void assertPreloadCancelledAndPermitBack(ToolExecutor executor) throws Exception {
    assertThat(held.interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("nobody waits for the preload any more: it was cancelled (interrupted)")
        .isTrue();
    assertThat(limits.reservationReleases.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the preload gave get_reservation's permit back")
        .isTrue();
    assertThat(limits.inFlight("get_reservation")).isZero();
    assertThat(
            callAlone(
                    executor,
                    registry.call("a", "get_reservation", "{\"reservation_id\":\"R-ann\"}"))
                .status())
        .isEqualTo(CallStatus.SUCCEEDED);
  }

  /**
   * Runs attempts on virtual threads, except get_reservation's while {@link #holding}: those it
   * keeps in {@link #held} without running them. Cancelling a held attempt does nothing, or, when
   * {@code reportsCancel}, reports it ended at once without running it (as a simulator does).
   */
  private static final class HeldRunner implements CallRunner {
    final AtomicBoolean holding = new AtomicBoolean();
    final BlockingQueue<AttemptExecution> held = new LinkedBlockingQueue<>();
    private final boolean reportsCancel;

    HeldRunner(boolean reportsCancel) {
      this.reportsCancel = reportsCancel;
    }

    @Override
    public dev.parallax.core.time.Cancellable start(AttemptExecution attempt) {
      if (!holding.get() || !attempt.call().tool().name().equals("get_reservation")) {
        return CallRunner.virtualThreads().start(attempt);
      }
      held.add(attempt);
      return () -> {
        if (reportsCancel) {
          attempt.complete(null, new CancellationException("cancelled before it started"));
        }
      };
    }
  }
}
