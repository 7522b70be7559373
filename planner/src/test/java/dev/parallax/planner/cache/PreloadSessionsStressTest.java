package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.cache.CacheTesting.FakeTicker;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.PreloadStats;
import dev.parallax.planner.preload.Preloading;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final int THREADS = 8;
  private static final int SESSIONS_PER_THREAD = 25;

  private static List<String> flights(String day) {
    return List.of(day + "-a", day + "-b", day + "-c", day + "-d");
  }

  private final Tool<JsonNode, JsonNode> listFlights =
      Tools.named("list_flights")
          .idempotent(true)
          .cacheable(true)
          .function(
              (args, ctx) ->
                  JSON.valueToTree(Map.of("flights", flights(args.get("day").asText()))));

  private final Tool<JsonNode, JsonNode> getFlight =
      Tools.named("get_flight")
          .idempotent(true)
          .cacheable(true)
          .function((args, ctx) -> JSON.valueToTree(Map.of("flight", args.get("flight"))));

  private final ToolRegistry registry = ToolRegistry.of(listFlights, getFlight);

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
                    .tools(listFlights, getFlight)
                    .maxSessions(4) // fewer than the sessions under way: they are pushed out
                    .sessionIdle(Duration.ofMinutes(1))
                    .learnLive(1)
                    .learnExecutor(relearnings::add)
                    .build())
            .build();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .timeSource(new VirtualTime())
            .resultCache(cache)
            .listener(cache.preloadListener())
            .build()) {
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
                      for (String f : flights(day)) {
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

  /** Ten past sessions: list a day's flights, look each up. */
  private static PreloadModel model() {
    List<List<ObservedCall>> sessions = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      String day = "h" + s;
      List<ObservedCall> calls = new ArrayList<>();
      calls.add(
          ObservedCall.of("list_flights", Map.of("day", day), Map.of("flights", flights(day))));
      for (String f : flights(day)) {
        calls.add(ObservedCall.of("get_flight", Map.of("flight", f), Map.of("flight", f)));
      }
      sessions.add(calls);
    }
    return PreloadModel.learner().learn(sessions);
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
