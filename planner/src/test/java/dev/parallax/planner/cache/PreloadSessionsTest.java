package dev.parallax.planner.cache;

import static dev.parallax.planner.testing.PreloadFixture.Flights.day;
import static dev.parallax.planner.testing.PreloadFixture.Flights.flight;
import static dev.parallax.planner.testing.PreloadFixture.Flights.model;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.planner.cache.CacheTesting.FakeTicker;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.PreloadStats;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import dev.parallax.planner.testing.PreloadFixture.Flights;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One preload context per agent session, sessions that end, and live learning, through the real
 * executor and cache. The agent lists the flights of a day, then looks them up one after another;
 * the rule learnt is "after get_flight(F): get_flight(the flight after F in a recent list)".
 */
@Timeout(60)
class PreloadSessionsTest {

  /** Two sessions list the same flights in other orders: a shared context would mix them up. */
  private static final Map<String, List<String>> DAYS =
      Map.of("mon", List.of("X", "Y", "Z"), "tue", List.of("X", "Z", "Y"));

  /** Flights of a day: from {@link #DAYS}, else four flights named after the day. */
  private static List<String> flights(String day) {
    List<String> known = DAYS.get(day);
    return known != null ? known : Flights.of(day);
  }

  private final Flights fixture = new Flights(PreloadSessionsTest::flights);
  private final ToolRegistry registry = fixture.registry;

  private static ToolExecutor executor(CaffeineResultCache cache) {
    return PreloadFixture.executorFor(cache).build();
  }

  /** One call in its own run, under the baggage entry session.id = {@code session}. */
  private void call(ToolExecutor executor, String session, String tool, String arguments) {
    fixture.call(executor, session, tool, arguments);
  }

  /** The preloads started so far have all run their tool; returns what they looked up. */
  private Set<String> preloadsRun(CaffeineResultCache cache) throws InterruptedException {
    return fixture.preloadsRun(cache);
  }

  /** Session mon lists X, Y, Z, session tue lists X, Z, Y; then mon looks X up. */
  private Set<String> interleaved(Preloading.Builder preloading) throws InterruptedException {
    CaffeineResultCache cache =
        CaffeineResultCache.builder().preloading(preloading.model(model()).build()).build();
    try (ToolExecutor executor = executor(cache)) {
      call(executor, "mon", "list_flights", day("mon"));
      call(executor, "tue", "list_flights", day("tue"));
      call(executor, "mon", "get_flight", flight("X"));
      return preloadsRun(cache);
    }
  }

  @Test
  void interleavedSessions_predictOnlyFromTheirOwnCalls() throws Exception {
    assertThat(interleaved(Preloading.builder())).contains("Y").doesNotContain("Z");
  }

  @Test
  void interleavedSessions_sharingOneContext_crossPredict() throws Exception {
    // the control of the test above: with one key for all calls (the old behaviour), mon's lookup
    // of X reads tue's list, the most recent, and preloads tue's next flight
    assertThat(interleaved(Preloading.builder().sessionKey(call -> "everyone")))
        .contains("Z")
        .doesNotContain("Y");
  }

  @Test
  void withoutSessionBaggage_eachRunIsASession() throws Exception {
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(Preloading.builder().model(model()).build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      // one run: the list and the lookup share a context
      executor.executeSequential(
          List.of(
              registry.call("l", "list_flights", day("mon")),
              registry.call("g", "get_flight", flight("Y"))));
      assertThat(preloadsRun(cache)).contains("Z");
      // another run: it never saw a list, so the lookup of X predicts nothing
      long before = cache.preloadStats().started();
      executor.executeSequential(List.of(registry.call("g2", "get_flight", flight("X"))));
      assertThat(cache.preloadStats().started()).isEqualTo(before);
    }
  }

  @Test
  void sessionIdlePastTheBound_ends_andItsContextIsGone() throws Exception {
    FakeTicker ticker = new FakeTicker();
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .ticker(ticker)
            .preloading(
                Preloading.builder().model(model()).sessionIdle(Duration.ofMinutes(1)).build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      call(executor, "mon", "list_flights", day("mon"));
      ticker.advance(Duration.ofSeconds(59));
      assertThat(cache.preloadStats().sessionsEnded()).isZero();
      ticker.advance(Duration.ofSeconds(2));
      assertThat(cache.preloadStats().sessionsEnded()).isEqualTo(1);

      long before = cache.preloadStats().started();
      call(executor, "mon", "get_flight", flight("Y")); // a new session "mon": no list in it
      assertThat(cache.preloadStats().started()).isEqualTo(before);
    }
  }

  @Test
  void moreSessionsThanTheBound_endTheLeastRecent() {
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(Preloading.builder().model(model()).maxSessions(2).build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      for (String s : List.of("a", "b", "c", "d", "e")) {
        call(executor, s, "list_flights", day(s));
      }
      assertThat(cache.preloadStats().sessionsEnded()).isEqualTo(3);
    }
  }

  @Test
  void sessionKeyFunctionThatThrows_fallsBackToTheRunId_andIsCounted() {
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(
                Preloading.builder()
                    .model(model())
                    .sessionKey(
                        call -> {
                          throw new IllegalStateException("no session here");
                        })
                    .build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      var result =
          executor.executeSequential(List.of(registry.call("l", "list_flights", day("mon"))));
      assertThat(result.results().get(0).isSuccess()).isTrue();
      assertThat(cache.preloadStats().seamFailures()).isEqualTo(1);
    }
  }

  /** An executor that keeps the tasks handed to it; the test runs them. */
  private static final class HeldTasks implements Executor {
    final List<Runnable> tasks = new CopyOnWriteArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }
  }

  /** Plays one history session under its own key, then lets it go idle past the bound. */
  private void playAndIdle(
      ToolExecutor executor, CaffeineResultCache cache, FakeTicker ticker, String session) {
    call(executor, session, "list_flights", day(session));
    for (String f : flights(session)) {
      call(executor, session, "get_flight", flight(f));
    }
    ticker.advance(Duration.ofMinutes(2));
    cache.preloadStats(); // the idle session ends now
  }

  @Test
  void learnLive_relearnsInTheBackgroundEveryNSessions_andTheNewModelPreloads() throws Exception {
    FakeTicker ticker = new FakeTicker();
    HeldTasks background = new HeldTasks();
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .ticker(ticker)
            .preloading(
                Preloading.builder() // no model given: nothing is preloaded at first
                    .sessionIdle(Duration.ofMinutes(1))
                    .learnLive(2)
                    .learnExecutor(background)
                    .build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      playAndIdle(executor, cache, ticker, "s1");
      assertThat(background.tasks).isEmpty();
      playAndIdle(executor, cache, ticker, "s2");
      assertThat(background.tasks).hasSize(1); // due after two finished sessions, not run yet
      assertThat(cache.preloadStats().started()).isZero();
      assertThat(cache.preloadStats().modelVersion()).isZero();

      background.tasks.get(0).run();

      PreloadStats stats = cache.preloadStats();
      assertThat(stats.modelVersion()).isEqualTo(1);
      assertThat(stats.sessionsLearnt()).isEqualTo(2);
      assertThat(stats.relearnFailures()).isZero();
      call(executor, "s3", "list_flights", day("s3"));
      call(executor, "s3", "get_flight", flight("s3-b"));
      assertThat(preloadsRun(cache)).contains("s3-c");
    }
  }

  @Test
  void learnLive_runsAtMostOneRelearningAtATime() {
    FakeTicker ticker = new FakeTicker();
    HeldTasks background = new HeldTasks();
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .ticker(ticker)
            .preloading(
                Preloading.builder()
                    .sessionIdle(Duration.ofMinutes(1))
                    .learnLive(1)
                    .learnExecutor(background)
                    .build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      for (String s : List.of("s1", "s2", "s3")) {
        playAndIdle(executor, cache, ticker, s);
      }
      assertThat(background.tasks).hasSize(1); // the first still "runs": no second one

      background.tasks.get(0).run(); // it ends; sessions finished meanwhile make the next one due

      assertThat(background.tasks).hasSize(2);
      assertThat(cache.preloadStats().sessionsLearnt()).isEqualTo(1);
      background.tasks.get(1).run();
      assertThat(cache.preloadStats().modelVersion()).isEqualTo(2);
      assertThat(cache.preloadStats().sessionsLearnt()).isEqualTo(3);
    }
  }

  @Test
  void learnLive_failingRelearning_isCounted_andTheModelStays() throws Exception {
    FakeTicker ticker = new FakeTicker();
    HeldTasks background = new HeldTasks();
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .ticker(ticker)
            .preloading(
                Preloading.builder()
                    .model(model())
                    .sessionIdle(Duration.ofMinutes(1))
                    .learnLive(1)
                    .learner(
                        () -> {
                          throw new OutOfMemoryError("simulated");
                        })
                    .learnExecutor(background)
                    .build())
            .build();
    try (ToolExecutor executor = executor(cache)) {
      playAndIdle(executor, cache, ticker, "s1");
      background.tasks.get(0).run();

      PreloadStats stats = cache.preloadStats();
      assertThat(stats.relearnFailures()).isEqualTo(1);
      assertThat(stats.modelVersion()).isZero();
      // the given model still preloads
      long before = stats.started();
      call(executor, "s2", "list_flights", day("s2"));
      call(executor, "s2", "get_flight", flight("s2-a"));
      assertThat(cache.preloadStats().started()).isGreaterThan(before);
      assertThat(preloadsRun(cache)).contains("s2-b");
    }
  }

  @Test
  void learnLive_relearnsOffTheCallPath_onItsOwnThread() throws Exception {
    FakeTicker ticker = new FakeTicker();
    Set<Thread> learnedOn = ConcurrentHashMap.newKeySet();
    java.util.concurrent.CountDownLatch learned = new java.util.concurrent.CountDownLatch(1);
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .ticker(ticker)
            .preloading(
                Preloading.builder()
                    .sessionIdle(Duration.ofMinutes(1))
                    .learnLive(1)
                    .learner(
                        () -> {
                          learnedOn.add(Thread.currentThread());
                          learned.countDown();
                          return PreloadModel.learner();
                        })
                    .build()) // the default executor: a virtual thread per relearning
            .build();
    try (ToolExecutor executor = executor(cache)) {
      playAndIdle(executor, cache, ticker, "s1");
      CacheTesting.await(learned, "the relearning started");
      assertThat(learnedOn).doesNotContain(Thread.currentThread());
      assertThat(learnedOn).allSatisfy(t -> assertThat(t.getName()).contains("preload-learning"));
    }
  }
}
