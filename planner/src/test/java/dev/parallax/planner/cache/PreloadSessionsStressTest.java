package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.WAIT_SECONDS;
import static dev.parallax.planner.testing.PreloadFixture.Flights.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.planner.cache.CacheTesting.FakeTicker;
import dev.parallax.planner.preload.PreloadStats;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import dev.parallax.planner.testing.PreloadFixture.Flights;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many sessions at once, fewer session slots than sessions, live learning on: no seam fails, every
 * call gets its own value, every session ends, and at most one relearning is handed out at a time.
 */
@Timeout(120)
class PreloadSessionsStressTest {

  private static final int THREADS = 8;
  private static final int SESSIONS_PER_THREAD = 25;

  private final Flights fixture = new Flights();
  private final ToolRegistry registry = fixture.registry;

  /** Keeps the relearnings handed to it; the test runs them. */
  private final List<Runnable> relearnings = new CopyOnWriteArrayList<>();

  @Test
  void manySessionsAtOnce_endEach_andHandOutOneRelearningAtATime() throws Exception {
    FakeTicker ticker = new FakeTicker();
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .ticker(ticker)
            .preloading(
                Preloading.builder()
                    .model(model())
                    .tools(fixture.listFlights, fixture.getFlight)
                    .maxSessions(4) // fewer than the sessions under way: they are pushed out
                    .sessionIdle(Duration.ofMinutes(1))
                    .learnLive(1)
                    .learnExecutor(relearnings::add)
                    .build())
            .build();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try (ToolExecutor executor = PreloadFixture.executorFor(cache).build()) {
      List<Future<List<String>>> wrong = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        wrong.add(
            threads.submit(
                () -> {
                  if (!go.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("never started");
                  }
                  List<String> bad = new ArrayList<>();
                  for (int s = 0; s < SESSIONS_PER_THREAD; s++) {
                    String day = "t" + thread + "s" + s;
                    try (Scope scope =
                        Baggage.current().toBuilder()
                            .put(Preloading.SESSION_BAGGAGE, day)
                            .build()
                            .makeCurrent()) {
                      check(executor, "list_flights", "day", day, bad);
                      for (String f : Flights.of(day)) {
                        check(executor, "get_flight", "flight", f, bad);
                      }
                    }
                  }
                  return bad;
                }));
      }
      go.countDown();
      for (Future<List<String>> f : wrong) {
        assertThat(f.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
      }
      ticker.advance(Duration.ofMinutes(2));
      PreloadStats stats = cache.preloadStats(); // every session idle past the bound: all ended

      assertThat(stats.seamFailures()).isZero();
      assertThat(stats.sessionsEnded()).isGreaterThanOrEqualTo(THREADS * SESSIONS_PER_THREAD);
      assertThat(stats.started()).isPositive();
      assertThat(stats.hits()).isLessThanOrEqualTo(stats.started());
      assertThat(relearnings).hasSize(1); // the first "runs" (held): no second one was handed out

      relearnings.get(0).run();
      assertThat(cache.preloadStats().modelVersion()).isEqualTo(1);
      assertThat(relearnings).hasSize(2); // sessions ended meanwhile: the next one is due
    } finally {
      threads.shutdownNow();
      assertThat(threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  private void check(
      ToolExecutor executor, String tool, String argument, String value, List<String> bad) {
    String args = "{\"" + argument + "\":\"" + value + "\"}";
    CallResult<?> r =
        executor.executeSequential(List.of(registry.call("c", tool, args))).results().get(0);
    JsonNode v = (JsonNode) r.value();
    boolean right =
        r.isSuccess()
            && v != null
            && (tool.equals("get_flight")
                ? v.get("flight").asText().equals(value)
                : v.get("flights").get(0).asText().equals(value + "-a"));
    if (!right) {
      bad.add(tool + " " + value + " -> " + r);
    }
  }
}
