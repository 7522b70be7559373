package dev.parallax.planner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The preload tests' shared fixture, in the planner's tests and (through the planner's test jar)
 * the facade's: an agent looks a user up, then the user's first reservation. The model learnt from
 * {@link #pastSessions()} has one rule, {@code after get_user:
 * get_reservation{reservation_id=result/reservations/0}}, so after {@code get_user(zoe)} the cache
 * preloads {@code get_reservation(R-zoe)}.
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
}
