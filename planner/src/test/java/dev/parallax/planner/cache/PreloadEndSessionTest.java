package dev.parallax.planner.cache;

import static dev.parallax.planner.testing.PreloadFixture.Flights.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import dev.parallax.planner.testing.PreloadFixture.Flights;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CaffeineResultCache#endSession}: a backend that knows a conversation is over ends its
 * preload session at once instead of waiting for {@code sessionIdle}. The agent lists the flights
 * of a day, then looks them up one after another (as in {@code PreloadSessionsTest}).
 */
@Timeout(60)
class PreloadEndSessionTest {

  private final Flights fixture = new Flights();

  private static ToolExecutor executor(CaffeineResultCache cache) {
    return PreloadFixture.executorFor(cache).build();
  }

  private void call(ToolExecutor executor, String session, String tool, String arguments) {
    fixture.call(executor, session, tool, arguments);
  }

  /** Waits until every preload started so far has run its tool. */
  private void preloadsRun(CaffeineResultCache cache) throws InterruptedException {
    fixture.preloadsRun(cache);
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
      for (String f : Flights.of("s1")) {
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
