package dev.parallax.springai;

import static dev.parallax.springai.testing.ScriptedChatModel.call;
import static dev.parallax.springai.testing.TestTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.trace.SessionBaggage;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.springai.testing.ScriptedChatModel;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.tool.ToolCallback;

/**
 * Preloading sees a Spring AI conversation ({@link ChatMemory#CONVERSATION_ID} in the tool context)
 * as one session across its turns: the real {@link ChatClient} with its {@link ToolCallingAdvisor},
 * a scripted chat model per turn, the planner's result cache with preloading. The agent lists the
 * flights of a day in one turn and looks them up one per turn; the rule learnt is "after
 * get_flight(F): get_flight(the flight after F in a recent list)", which needs the list of an
 * earlier turn.
 */
@Timeout(60)
class ConversationSessionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 30;

  /**
   * Two days list the same flights, the last two in other orders: a shared context would mix them
   * up. The history's days have four flights, so the rules after a list preload the first ones
   * only; a flight after the fourth is preloaded only from the list an earlier turn saw.
   */
  private static final Map<String, List<String>> DAYS =
      Map.of(
          "mon", List.of("A", "B", "C", "D", "E", "F", "G"),
          "tue", List.of("A", "B", "C", "D", "E", "G", "F"));

  private static List<String> flights(String day) {
    List<String> known = DAYS.get(day);
    return known != null ? known : List.of(day + "-a", day + "-b", day + "-c", day + "-d");
  }

  /** Every run of get_flight (real or preloaded): the flight, and a permit. */
  private final List<String> looked = new CopyOnWriteArrayList<>();

  private final Semaphore lookups = new Semaphore(0);

  private final ToolCallback listFlights =
      tool(
          "list_flights",
          args -> {
            try {
              return JSON.writeValueAsString(flights(JSON.readTree(args).get("day").asText()));
            } catch (java.io.IOException e) {
              throw new IllegalArgumentException(e);
            }
          });

  private final ToolCallback getFlight =
      tool(
          "get_flight",
          args -> {
            String flight;
            try {
              flight = JSON.readTree(args).get("flight").asText();
            } catch (java.io.IOException e) {
              throw new IllegalArgumentException(e);
            }
            looked.add(flight);
            lookups.release();
            return "flight " + flight;
          });

  private final Map<Object, Object> keys = new ConcurrentHashMap<>();

  /** Ten conversations of other days, as preloading observes them through this manager. */
  private static PreloadModel model() {
    List<List<ObservedCall>> sessions = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      String day = "h" + s;
      List<ObservedCall> calls = new ArrayList<>();
      calls.add(ObservedCall.of("list_flights", Map.of("day", day), flights(day)));
      for (String f : flights(day)) {
        calls.add(ObservedCall.of("get_flight", Map.of("flight", f), "flight " + f));
      }
      sessions.add(calls);
    }
    return PreloadModel.learner().learn(sessions);
  }

  private final CaffeineResultCache cache =
      CaffeineResultCache.builder()
          .preloading(
              Preloading.builder()
                  .model(model())
                  .burst(16) // the budget never decides here
                  .maxInFlight(16)
                  .sessionKey(
                      call -> {
                        // the default key, recorded by run to show which session each run had
                        Object key =
                            Preloading.sessionFromBaggage(Preloading.SESSION_BAGGAGE).apply(call);
                        keys.put(call.runId(), key);
                        return key;
                      })
                  .build())
          .build();

  /**
   * The manager, after one call of each tool in a conversation of its own: the cache preloads only
   * tools it has seen in a real call.
   */
  private ParallaxToolCallingManager manager() throws InterruptedException {
    ParallaxToolCallingManager manager =
        ParallaxToolCallingManager.builder()
            .executor(
                ToolExecutor.builder().resultCache(cache).listener(cache.preloadListener()).build())
            .idempotent("list_flights", "get_flight")
            .cacheable("list_flights", "get_flight")
            .build();
    turn(manager, "warm-up", "get_flight", flight("W"));
    lookupsRan(1);
    looked.clear();
    lookups.drainPermits();
    keys.clear();
    return manager;
  }

  /** One turn of a conversation: the model calls {@code tool} with {@code args}. */
  private String turn(
      ParallaxToolCallingManager manager, @Nullable String conversation, String tool, String args) {
    ScriptedChatModel model = new ScriptedChatModel(List.of(call("c1", tool, args)));
    ChatClient client =
        ChatClient.builder(
                model,
                ObservationRegistry.NOOP,
                null,
                null,
                ToolCallingAdvisor.builder().toolCallingManager(manager))
            .build();
    var prompt = client.prompt("go").tools(listFlights, getFlight);
    if (conversation != null) {
      prompt = prompt.toolContext(Map.of(ChatMemory.CONVERSATION_ID, conversation));
    }
    return prompt.call().content();
  }

  private static String day(String day) {
    return "{\"day\": \"" + day + "\"}";
  }

  private static String flight(String flight) {
    return "{\"flight\": \"" + flight + "\"}";
  }

  /** Waits until get_flight has run {@code count} times in all (real calls and preloads). */
  private void lookupsRan(int count) throws InterruptedException {
    if (!lookups.tryAcquire(count, WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("get_flight never ran " + count + " times: " + looked);
    }
    lookups.release(count);
  }

  @Test
  void sessionBaggageEntry_isThePlannersSessionBaggage() {
    assertThat(SessionBaggage.ENTRY).isEqualTo(Preloading.SESSION_BAGGAGE);
  }

  @Test
  void turnsOfOneConversation_shareAPreloadContext_soAPreloadFromAnEarlierTurnIsAHit()
      throws Exception {
    try (ParallaxToolCallingManager manager = manager()) {
      turn(manager, "a", "list_flights", day("mon"));
      assertThat(turn(manager, "a", "get_flight", flight("E")))
          .isEqualTo("get_flight(c1)=flight E"); // not preloaded: it runs
      long hits = cache.preloadStats().hits();
      // after get_flight(E), get_flight(F) was preloaded: F follows E in the list of turn 1
      assertThat(turn(manager, "a", "get_flight", flight("F")))
          .isEqualTo("get_flight(c1)=flight F");
      assertThat(cache.preloadStats().hits()).isEqualTo(hits + 1);
      assertThat(looked).containsOnlyOnce("E", "F");
      assertThat(keys.values()).containsOnly("a");
      assertThat(keys).hasSize(3); // three runs, one session
    }
  }

  @Test
  void eachTurnItsOwnConversation_seesNoEarlierList_andPreloadsNothingAfterALookup()
      throws Exception {
    // the control of the test above: another conversation id, so another session
    try (ParallaxToolCallingManager manager = manager()) {
      turn(manager, "a", "list_flights", day("mon"));
      long started = cache.preloadStats().started();
      turn(manager, "b", "get_flight", flight("E"));
      assertThat(cache.preloadStats().started()).isEqualTo(started);
    }
  }

  @Test
  void twoConversations_doNotCross() throws Exception {
    try (ParallaxToolCallingManager manager = manager()) {
      turn(manager, "a", "list_flights", day("mon")); // ... E, F, G
      turn(manager, "b", "list_flights", day("tue")); // ... E, G, F
      turn(manager, "a", "get_flight", flight("E"));
      long started = cache.preloadStats().started();
      lookupsRan((int) started + 1); // the preloads and the real lookup of E
      // a's context holds mon's list only: the flight after E is F (tue's list would say G)
      assertThat(looked).contains("E", "F").doesNotContain("G");
      assertThat(keys.values()).containsOnly("a", "b");
    }
  }

  @Test
  void endingAConversation_endsItsSessionAlone() throws Exception {
    try (ParallaxToolCallingManager manager = manager()) {
      turn(manager, "a", "list_flights", day("mon"));
      turn(manager, "b", "list_flights", day("tue"));
      long ended = cache.preloadStats().sessionsEnded();
      assertThat(cache.endSession("a")).isTrue();
      assertThat(cache.preloadStats().sessionsEnded()).isEqualTo(ended + 1);
      assertThat(cache.endSession("a")).isFalse();

      long started = cache.preloadStats().started();
      turn(manager, "a", "get_flight", flight("E")); // a's list is gone: nothing follows
      assertThat(cache.preloadStats().started()).isEqualTo(started);
      turn(manager, "b", "get_flight", flight("E")); // b's is not: G follows E on tuesday
      assertThat(cache.preloadStats().started()).isGreaterThan(started);
    }
  }

  @Test
  void withoutAConversationId_eachRunIsItsOwnSession() throws Exception {
    try (ParallaxToolCallingManager manager = manager()) {
      turn(manager, null, "list_flights", day("mon"));
      turn(manager, null, "list_flights", day("tue"));
      assertThat(keys).hasSize(2);
      keys.forEach((run, key) -> assertThat(key).isEqualTo(run)); // the run id, as before
    }
  }

  @Test
  void callersOwnSessionBaggage_wins_overTheConversationId() throws Exception {
    try (ParallaxToolCallingManager manager = manager();
        Scope s =
            Baggage.current().toBuilder()
                .put(Preloading.SESSION_BAGGAGE, "user-session")
                .build()
                .makeCurrent()) {
      turn(manager, "a", "list_flights", day("mon"));
      turn(manager, "b", "list_flights", day("tue"));
      assertThat(keys.values()).containsOnly("user-session");
      assertThat(cache.endSession("a")).isFalse();
      assertThat(cache.endSession("user-session")).isTrue();
    }
  }
}
