package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CaffeineResultCache#endSession}: a backend that knows a conversation is over ends its
 * preload session at once instead of waiting for {@code sessionIdle}. The agent lists the flights
 * of a day, then looks them up one after another (as in {@code PreloadSessionsTest}).
 */
@Timeout(60)
class PreloadEndSessionTest {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Semaphore preloadRuns = new Semaphore(0);

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
          .function(
              (args, ctx) -> {
                if (ctx.runId().equals("preload")) {
                  preloadRuns.release();
                }
                return JSON.valueToTree(Map.of("flight", args.get("flight").asText()));
              });

  private final ToolRegistry registry = ToolRegistry.of(listFlights, getFlight);
  private final AtomicInteger ids = new AtomicInteger();

  private static List<String> flights(String day) {
    return List.of(day + "-a", day + "-b", day + "-c", day + "-d");
  }

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

  private static ToolExecutor executor(CaffeineResultCache cache) {
    return ToolExecutor.builder()
        .timeSource(new VirtualTime())
        .resultCache(cache)
        .listener(cache.preloadListener())
        .build();
  }

  private void call(ToolExecutor executor, String session, String tool, String arguments) {
    try (Scope s =
        Baggage.current().toBuilder()
            .put(Preloading.SESSION_BAGGAGE, session)
            .build()
            .makeCurrent()) {
      executor.executeSequential(
          List.of(registry.call("c" + ids.incrementAndGet(), tool, arguments)));
    }
  }

  /** Waits until every preload started so far has run its tool. */
  private void preloadsRun(CaffeineResultCache cache) throws InterruptedException {
    int started = (int) cache.preloadStats().started();
    if (!preloadRuns.tryAcquire(started, WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("the " + started + " preloads started never all ran");
    }
    preloadRuns.release(started);
  }

  @Test
  void endSession_dropsItsContext_soTheNextCallStartsAFreshSession() throws Exception {
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(Preloading.builder().model(model()).build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      call(executor, "mon", "list_flights", "{\"day\":\"mon\"}");
      call(executor, "tue", "list_flights", "{\"day\":\"tue\"}");
      preloadsRun(cache);

      assertThat(cache.endSession("mon")).isTrue();
      assertThat(cache.preloadStats().sessionsEnded()).isEqualTo(1);
      assertThat(cache.endSession("mon")).isFalse(); // ended already

      // mon's list is gone: looking up one of its flights predicts nothing
      long before = cache.preloadStats().started();
      call(executor, "mon", "get_flight", "{\"flight\":\"mon-b\"}");
      assertThat(cache.preloadStats().started()).isEqualTo(before);

      // the control: tue's session is untouched, its list still predicts the next flight
      call(executor, "tue", "get_flight", "{\"flight\":\"tue-b\"}");
      assertThat(cache.preloadStats().started()).isGreaterThan(before);
      preloadsRun(cache);
      assertThat(cache.preloadStats().sessionsEnded()).isEqualTo(1);
    }
  }

  @Test
  void endSession_unknownKey_returnsFalse_andEndsNothing() {
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(Preloading.builder().model(model()).build())
            .build();
    assertThat(cache.endSession("nobody")).isFalse();
    assertThat(cache.preloadStats().sessionsEnded()).isZero();
    assertThatThrownBy(() -> cache.endSession((Object) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void endSession_withPreloadingOff_returnsFalse() {
    assertThat(CaffeineResultCache.builder().build().endSession("mon")).isFalse();
  }

  /** An executor that keeps the tasks handed to it; the test runs them. */
  private static final class HeldTasks implements Executor {
    final List<Runnable> tasks = new CopyOnWriteArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }
  }

  @Test
  void endSession_handsTheSessionToLiveLearning_withoutWaitingForIdle() throws Exception {
    HeldTasks background = new HeldTasks();
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(Preloading.builder().learnLive(1).learnExecutor(background).build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      call(executor, "s1", "list_flights", "{\"day\":\"s1\"}");
      for (String f : flights("s1")) {
        call(executor, "s1", "get_flight", "{\"flight\":\"" + f + "\"}");
      }
      assertThat(background.tasks).isEmpty();

      assertThat(cache.endSession("s1")).isTrue();

      assertThat(background.tasks).hasSize(1);
      background.tasks.get(0).run();
      assertThat(cache.preloadStats().sessionsLearnt()).isEqualTo(1);
      assertThat(cache.preloadStats().modelVersion()).isEqualTo(1);
    }
  }
}
