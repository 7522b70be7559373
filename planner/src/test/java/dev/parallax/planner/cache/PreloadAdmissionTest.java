package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.WAIT_SECONDS;
import static dev.parallax.planner.cache.CacheTesting.await;
import static dev.parallax.planner.testing.PreloadFixture.callAlone;
import static dev.parallax.planner.testing.PreloadFixture.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Preloads take a permit of the executor's admission control: a limit shared across runs counts
 * them like real calls, and a tool at its limit is not preloaded.
 */
@Timeout(60)
class PreloadAdmissionTest {

  /**
   * A per-tool limit shared by every run (what an adaptive limit or a cluster's permits are): a
   * release wakes every run that was refused, as the real ones do.
   */
  static final class SharedToolLimits implements AdmissionControl {
    final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final List<String> released = new CopyOnWriteArrayList<>();
    final Set<Runnable> refused = ConcurrentHashMap.newKeySet();
    final Semaphore reservationReleases = new Semaphore(0);
    final int limit;

    SharedToolLimits(int limit) {
      this.limit = limit;
    }

    int inFlight(String tool) {
      return inFlight.computeIfAbsent(tool, t -> new AtomicInteger()).get();
    }

    @Override
    public Admission open(String runId, Runnable capacityAvailable) {
      return new Admission() {
        @Override
        public boolean tryAcquire(PendingCall call) {
          AtomicInteger n = inFlight.computeIfAbsent(call.tool().name(), t -> new AtomicInteger());
          while (true) {
            int now = n.get();
            if (now >= limit) {
              refused.add(capacityAvailable);
              return false;
            }
            if (n.compareAndSet(now, now + 1)) {
              return true;
            }
          }
        }

        @Override
        public void release(PendingCall call, AttemptSample sample) {
          inFlight.get(sample.tool()).decrementAndGet();
          released.add(call.runId() + " " + sample.tool() + " " + sample.outcome());
          if (sample.tool().equals("get_reservation")) {
            reservationReleases.release();
          }
          List<Runnable> wake = List.copyOf(refused);
          refused.removeAll(wake);
          wake.forEach(Runnable::run);
        }

        @Override
        public void close() {
          refused.remove(capacityAvailable);
        }
      };
    }
  }

  /** get_reservation blocks until released and counts its runs. */
  private final PreloadFixture.Held held = new PreloadFixture.Held();

  private final AtomicInteger reservationRuns = held.runs;
  private final CountDownLatch reservationStarted = held.started;
  private final CountDownLatch release = held.release;
  private final Tool<JsonNode, JsonNode> getUser = PreloadFixture.getUser();
  private final Tool<JsonNode, String> getReservation = PreloadFixture.getReservation(held);

  private final ToolRegistry registry = ToolRegistry.of(getUser, getReservation);

  @AfterEach
  void close() {
    release.countDown();
  }

  private static CaffeineResultCache cache(Preloading preloading, AdmissionControl admission) {
    return CaffeineResultCache.builder().preloading(preloading).preloadAdmission(admission).build();
  }

  private static ToolExecutor executor(CaffeineResultCache cache, AdmissionControl admission) {
    return executorBuilder(cache, admission).build();
  }

  private static ToolExecutor.Builder executorBuilder(
      CaffeineResultCache cache, AdmissionControl admission) {
    return PreloadFixture.executorFor(cache).admissionControl(admission);
  }

  private Preloading preloading() {
    return Preloading.builder().model(model()).tools(getReservation).build();
  }

  @Test
  void preload_holdsAPermitOfTheSharedLimitWhileItRuns_andGivesItBack() throws Exception {
    SharedToolLimits limits = new SharedToolLimits(1);
    CaffeineResultCache cache = cache(preloading(), limits);
    try (ToolExecutor executor = executor(cache, limits)) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
      await(reservationStarted, "the predicted reservation lookup started early");
      assertThat(limits.inFlight("get_reservation")).as("the preload holds the permit").isOne();

      release.countDown();
      assertThat(limits.reservationReleases.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("the preload gave its permit back when its body returned")
          .isTrue();
      assertThat(limits.released)
          .filteredOn(r -> r.contains("get_reservation"))
          .containsExactly("preload-1 get_reservation SUCCESS");
      assertThat(limits.inFlight("get_reservation")).isZero();

      CallResult<?> real =
          callAlone(
              executor, registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"));

      assertThat(real.cacheHit()).isTrue();
      assertThat(reservationRuns).hasValue(1);
    }
    assertThat(limits.inFlight("get_reservation")).isZero();
  }

  @Test
  void toolAtItsSharedLimit_isNotPreloaded_andTheRealCallStillRuns() throws Exception {
    SharedToolLimits limits = new SharedToolLimits(1);
    CaffeineResultCache cache = cache(preloading(), limits);
    try (ToolExecutor executor = executor(cache, limits)) {
      // a real lookup of another reservation holds the tool's only permit
      CompletableFuture<RunResult> busy =
          executor.executeSequentialAsync(
              List.of(registry.call("b", "get_reservation", "{\"reservation_id\":\"R-bob\"}")));
      await(reservationStarted, "the real reservation lookup started");

      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));

      assertThat(cache.preloadStats().started()).as("refused by the shared limit").isZero();
      assertThat(cache.preloadStats().skippedYield()).isOne();
      assertThat(limits.inFlight("get_reservation")).isOne();
      release.countDown();
      assertThat(busy.get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0).value())
          .isEqualTo("reservation R-bob");
      CallResult<?> real =
          callAlone(
              executor, registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}"));
      assertThat(real.value()).isEqualTo("reservation R-zoe");
      assertThat(real.cacheHit()).isFalse();
    }
    assertThat(reservationRuns).hasValue(2);
    assertThat(limits.inFlight("get_reservation")).isZero();
  }

  /** Opens when the real call with the given id starts an attempt. */
  private static ExecutionListener startOf(String callId, CountDownLatch started) {
    return new ExecutionListener() {
      @Override
      public void onStarted(PendingCall call, int attempt) {
        if (call.callId().equals(callId)) {
          started.countDown();
        }
      }
    };
  }

  /**
   * Regression: a real call refused because its own preload held the tool's last permit cancelled
   * that preload (it asked for its permit before it looked in the cache), and ran the tool again.
   */
  @Test
  void realCallRefusedBecauseItsOwnPreloadHoldsTheLastPermit_joinsThePreload_doesNotCancelIt()
      throws Exception {
    SharedToolLimits limits = new SharedToolLimits(1);
    CaffeineResultCache cache = cache(preloading(), limits);
    CountDownLatch realStarted = new CountDownLatch(1);
    try (ToolExecutor executor =
        executorBuilder(cache, limits).listener(startOf("r", realStarted)).build()) {
      executor.executeSequential(List.of(registry.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
      await(reservationStarted, "the predicted reservation lookup started early");
      assertThat(limits.inFlight("get_reservation")).as("the preload holds the permit").isOne();

      CompletableFuture<RunResult> real =
          executor.executeParallelAsync(
              List.of(registry.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}")));
      await(realStarted, "the real call started (joined the preload)");
      release.countDown();
      CallResult<?> result = real.get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(0);

      assertThat(result.value()).isEqualTo("reservation R-zoe");
      assertThat(result.cacheHit()).as("answered by its preload").isTrue();
      assertThat(reservationRuns).as("the tool ran once, for the preload").hasValue(1);
      assertThat(cache.preloadStats().hits()).isOne();
      assertThat(cache.preloadStats().cancelledForCapacity()).isZero();
      // the joined call may finish before the preload's body has given its permit back
      assertThat(limits.reservationReleases.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("the preload gave its permit back")
          .isTrue();
      assertThat(limits.released)
          .as("only the preload took (and gave back) a permit")
          .filteredOn(r -> r.contains("get_reservation"))
          .containsExactly("preload-1 get_reservation SUCCESS");
    }
    assertThat(limits.inFlight("get_reservation")).isZero();
  }

  /**
   * Regression, the run's own slots: a real call queued behind another call of its run (more ready
   * calls than slots) cancelled its own preload while it waited; it now leaves it running and joins
   * it when its turn comes.
   */
  @Test
  void realCallWaitingForASlotOfItsRun_leavesItsOwnPreloadRunning_andJoinsIt() throws Exception {
    SharedToolLimits limits = new SharedToolLimits(1);
    CaffeineResultCache cache = cache(preloading(), limits);
    CountDownLatch realStarted = new CountDownLatch(1);
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch slowRelease = new CountDownLatch(1);
    Tool<JsonNode, String> slow =
        Tools.named("slow")
            .function(
                (args, ctx) -> {
                  slowStarted.countDown();
                  slowRelease.await(WAIT_SECONDS, TimeUnit.SECONDS);
                  return "slow";
                });
    ToolRegistry tools = ToolRegistry.of(getUser, getReservation, slow);
    try (ToolExecutor executor =
        executorBuilder(cache, limits)
            .maxConcurrency(1)
            .listener(startOf("r", realStarted))
            .build()) {
      executor.executeSequential(List.of(tools.call("u", "get_user", "{\"user_id\":\"zoe\"}")));
      await(reservationStarted, "the predicted reservation lookup started early");

      CompletableFuture<RunResult> run =
          executor.executeParallelAsync(
              List.of(
                  tools.call("s", "slow", "{}"),
                  tools.call("r", "get_reservation", "{\"reservation_id\":\"R-zoe\"}")));
      await(slowStarted, "the first call of the run took its only slot");
      slowRelease.countDown();
      await(realStarted, "the real call started (joined the preload)");
      release.countDown();
      CallResult<?> result = run.get(WAIT_SECONDS, TimeUnit.SECONDS).results().get(1);

      assertThat(result.value()).isEqualTo("reservation R-zoe");
      assertThat(result.cacheHit()).isTrue();
      assertThat(reservationRuns).hasValue(1);
      assertThat(cache.preloadStats().cancelledForCapacity()).isZero();
      assertThat(limits.reservationReleases.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("the preload gave its permit back")
          .isTrue();
    }
    assertThat(limits.inFlight("get_reservation")).isZero();
  }
}
