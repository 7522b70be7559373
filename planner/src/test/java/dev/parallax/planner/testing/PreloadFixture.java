package dev.parallax.planner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The preload tests' shared fixture, in the planner's tests and (through the planner's test jar)
 * the facade's: an agent looks a user up, then the user's first reservation. The model learnt from
 * {@link #pastSessions()} has one rule, {@code after get_user:
 * get_reservation{reservation_id=result/reservations/0}}, so after {@code get_user(zoe)} the cache
 * preloads {@code get_reservation(R-zoe)}. The second scenario, {@link Flights}, has sessions.
 */
public final class PreloadFixture {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** Bounds every wait of the fixture, so that a bug fails a test instead of hanging it. */
  public static final long WAIT_SECONDS = 30;

  private PreloadFixture() {}

  /** What a test runs inside a tool before it answers. */
  @FunctionalInterface
  public interface Step {
    /** Runs; what it throws is the tool's failure. */
    void run() throws Exception;
  }

  /** Parses JSON text. */
  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * {@code get_user}, idempotent and cacheable: {@code {"reservations":["R-<user_id>"],
   * "user":"<user_id>"}}.
   */
  public static Tool<JsonNode, JsonNode> getUser() {
    return Tools.named("get_user")
        .idempotent(true)
        .cacheable(true)
        .function(
            (args, ctx) ->
                json(
                    "{\"reservations\":[\"R-"
                        + args.get("user_id").asText()
                        + "\"],\"user\":"
                        + args.get("user_id")
                        + "}"));
  }

  /** {@code get_reservation}, idempotent and cacheable: {@code "reservation <reservation_id>"}. */
  public static Tool<JsonNode, String> getReservation() {
    return getReservation(() -> {});
  }

  /** {@link #getReservation()} that runs {@code before} (count, wait, fail) before it answers. */
  public static Tool<JsonNode, String> getReservation(Step before) {
    return Tools.named("get_reservation")
        .idempotent(true)
        .cacheable(true)
        .function(
            (args, ctx) -> {
              before.run();
              return "reservation " + args.get("reservation_id").asText();
            });
  }

  /**
   * Ten past sessions, users u0 to u9: {@code get_user}, then {@code get_reservation} of the user's
   * first reservation, with the results the fixture's tools give. Mutable lists, so that a test can
   * add calls to each session.
   */
  public static List<List<ObservedCall>> pastSessions() {
    List<List<ObservedCall>> sessions = new ArrayList<>();
    for (int u = 0; u < 10; u++) {
      String user = "u" + u;
      String reservation = "R-" + user;
      List<ObservedCall> calls = new ArrayList<>();
      calls.add(
          new ObservedCall(
              "get_user",
              json("{\"user_id\":\"" + user + "\"}"),
              json("{\"reservations\":[\"" + reservation + "\"],\"user\":\"" + user + "\"}")));
      calls.add(
          new ObservedCall(
              "get_reservation",
              json("{\"reservation_id\":\"" + reservation + "\"}"),
              json("\"reservation " + reservation + "\"")));
      sessions.add(calls);
    }
    return sessions;
  }

  /** The model learnt from {@link #pastSessions()}. */
  public static PreloadModel model() {
    return PreloadModel.learner().learn(pastSessions());
  }

  /**
   * A tool body held until the test releases it: counts its runs, opens {@link #started} on the
   * first, waits for {@link #release} (at most {@link #WAIT_SECONDS}), opens {@link #interrupted}
   * and throws when interrupted while waiting, then runs the step given (a fake clock's advance, a
   * failure).
   */
  public static final class Held implements Step {
    /** How many times the body ran. */
    public final AtomicInteger runs = new AtomicInteger();

    /** Opens when the body first runs. */
    public final CountDownLatch started = new CountDownLatch(1);

    /** The test opens it to let the body go on. */
    public final CountDownLatch release = new CountDownLatch(1);

    /** Opens when the body was interrupted while held. */
    public final CountDownLatch interrupted = new CountDownLatch(1);

    private final Step afterRelease;

    /** Held, then answers. */
    public Held() {
      this(() -> {});
    }

    /** Held, then runs {@code afterRelease}. */
    public Held(Step afterRelease) {
      this.afterRelease = afterRelease;
    }

    @Override
    public void run() throws Exception {
      runs.incrementAndGet();
      started.countDown();
      try {
        release.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      afterRelease.run();
    }
  }

  /** Runs one call alone in a sequential run of the executor; returns its result. */
  public static CallResult<?> callAlone(ToolExecutor executor, ToolCall<?, ?> call) {
    return executor.executeSequential(List.of(call)).results().get(0);
  }

  /**
   * An executor builder in virtual time with the cache and its {@linkplain
   * CaffeineResultCache#preloadListener() preload listener}, as preloading wants it.
   */
  public static ToolExecutor.Builder executorFor(CaffeineResultCache cache) {
    return ToolExecutor.builder()
        .timeSource(new VirtualTime())
        .resultCache(cache)
        .listener(cache.preloadListener());
  }

  /**
   * The sessions scenario: an agent lists the flights of a day, then looks them up one after
   * another; the rule learnt from {@link #pastSessions} is "after get_flight(F): get_flight(the
   * flight after F in a recent list)". One instance per test: its tools record the preloads they
   * run.
   */
  public static final class Flights {

    /** The flights the preloads looked up, in the order they ran. */
    public final List<String> preloaded = new CopyOnWriteArrayList<>();

    private final Semaphore preloadRuns = new Semaphore(0);
    private final AtomicInteger ids = new AtomicInteger();

    /** {@code list_flights(day)}: {@code {"flights":[...]}}; idempotent and cacheable. */
    public final Tool<JsonNode, JsonNode> listFlights;

    /** {@code get_flight(flight)}: {@code {"flight":"<flight>"}}; idempotent and cacheable. */
    public final Tool<JsonNode, JsonNode> getFlight;

    /** Both tools. */
    public final ToolRegistry registry;

    /** Every day has the flights {@link #of}. */
    public Flights() {
      this(Flights::of);
    }

    /** The days' flights as {@code flightsOfDay} gives them. */
    public Flights(Function<String, List<String>> flightsOfDay) {
      listFlights =
          Tools.named("list_flights")
              .idempotent(true)
              .cacheable(true)
              .function(
                  (args, ctx) ->
                      JSON.valueToTree(
                          Map.of("flights", flightsOfDay.apply(args.get("day").asText()))));
      getFlight =
          Tools.named("get_flight")
              .idempotent(true)
              .cacheable(true)
              .function(
                  (args, ctx) -> {
                    if (ctx.runId().equals("preload")) {
                      preloaded.add(args.get("flight").asText());
                      preloadRuns.release();
                    }
                    return JSON.valueToTree(Map.of("flight", args.get("flight").asText()));
                  });
      registry = ToolRegistry.of(listFlights, getFlight);
    }

    /** Four flights named after the day: {@code day-a} to {@code day-d}. */
    public static List<String> of(String day) {
      return List.of(day + "-a", day + "-b", day + "-c", day + "-d");
    }

    /** Past sessions of days h0, h1, ...: list the day's flights ({@link #of}), look each up. */
    public static List<List<ObservedCall>> pastSessions(int sessions) {
      List<List<ObservedCall>> out = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        String day = "h" + s;
        List<ObservedCall> calls = new ArrayList<>();
        calls.add(ObservedCall.of("list_flights", Map.of("day", day), Map.of("flights", of(day))));
        for (String f : of(day)) {
          calls.add(ObservedCall.of("get_flight", Map.of("flight", f), Map.of("flight", f)));
        }
        out.add(calls);
      }
      return out;
    }

    /** The model learnt from ten {@link #pastSessions}. */
    public static PreloadModel model() {
      return PreloadModel.learner().learn(pastSessions(10));
    }

    /** The arguments of {@code list_flights(day)}. */
    public static String day(String day) {
      return "{\"day\":\"" + day + "\"}";
    }

    /** The arguments of {@code get_flight(flight)}. */
    public static String flight(String flight) {
      return "{\"flight\":\"" + flight + "\"}";
    }

    /**
     * One call in its own run, under the baggage entry {@value Preloading#SESSION_BAGGAGE} = {@code
     * session}.
     */
    public RunResult call(ToolExecutor executor, String session, String tool, String arguments) {
      try (Scope s =
          Baggage.current().toBuilder()
              .put(Preloading.SESSION_BAGGAGE, session)
              .build()
              .makeCurrent()) {
        return executor.executeSequential(
            List.of(registry.call("c" + ids.incrementAndGet(), tool, arguments)));
      }
    }

    /**
     * Waits until every preload the cache started so far has run its tool; returns the flights they
     * looked up.
     */
    public Set<String> preloadsRun(CaffeineResultCache cache) throws InterruptedException {
      int started = (int) cache.preloadStats().started();
      if (!preloadRuns.tryAcquire(started, WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the " + started + " preloads started never all ran");
      }
      preloadRuns.release(started);
      return Set.copyOf(preloaded);
    }
  }
}
