package dev.parallax.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.trace.SessionBaggage;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Preloading sees a LangChain4j conversation (the chat memory id) as one session across its
 * invocations: the real {@code AiServices} with a chat memory per {@code @MemoryId}, a scripted
 * chat model, the planner's result cache with preloading. The agent lists the flights of a day in
 * one turn and looks them up one per turn; the rule learnt is "after getFlight(F): getFlight(the
 * flight after F in a recent list)", which needs the list of an earlier turn.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConversationSessionsTest {

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

  interface Agent {
    String chat(@MemoryId String conversation, @dev.langchain4j.service.UserMessage String ask);
  }

  /** The flight tools; every run of getFlight (real or preloaded) is recorded and released. */
  static final class FlightTools {
    final List<String> looked = new CopyOnWriteArrayList<>();
    final Semaphore lookups = new Semaphore(0);

    @Tool("The flights of a day")
    @ParallaxTool(idempotent = true, cacheable = true)
    public List<String> listFlights(@P("the day") String day) {
      return flights(day);
    }

    @Tool("One flight")
    @ParallaxTool(idempotent = true, cacheable = true)
    public String getFlight(@P("the flight") String flight) {
      looked.add(flight);
      lookups.release();
      return "flight " + flight;
    }
  }

  /**
   * A model that, asked {@code "TOOL ARG"}, calls that tool with that argument, and given the
   * result, answers with its text.
   */
  static final class OneCallPerTurnModel implements ChatModel {
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public ChatResponse doChat(ChatRequest request) {
      List<ChatMessage> messages = request.messages();
      ChatMessage last = messages.get(messages.size() - 1);
      if (last instanceof ToolExecutionResultMessage result) {
        return ChatResponse.builder().aiMessage(AiMessage.from(result.text())).build();
      }
      String[] ask = ((UserMessage) last).singleText().split(" ");
      ToolExecutionRequest call =
          ToolExecutionRequest.builder()
              .id("c" + ids.incrementAndGet())
              .name(ask[0])
              .arguments("{\"arg0\":\"" + ask[1] + "\"}")
              .build();
      return ChatResponse.builder().aiMessage(AiMessage.from(call)).build();
    }
  }

  /** Ten sessions of other days, as preloading observes them through this adapter. */
  private static PreloadModel model() {
    List<List<ObservedCall>> sessions = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      String day = "h" + s;
      List<ObservedCall> calls = new ArrayList<>();
      calls.add(ObservedCall.of("listFlights", Map.of("arg0", day), flights(day)));
      for (String f : flights(day)) {
        calls.add(ObservedCall.of("getFlight", Map.of("arg0", f), "flight " + f));
      }
      sessions.add(calls);
    }
    return PreloadModel.learner().learn(sessions);
  }

  private final FlightTools tools = new FlightTools();
  private final Map<Object, Object> keys = new ConcurrentHashMap<>();
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

  private ToolExecutor executor() {
    return ToolExecutor.builder().resultCache(cache).listener(cache.preloadListener()).build();
  }

  /**
   * The agent, after one call of getFlight in a conversation of its own: the cache preloads only
   * tools it has seen in a real call (the adapter's Parallax tools exist only once the adapter is
   * built over an executor that already has the cache, so {@code Preloading.tools} cannot name
   * them).
   */
  private Agent agent(ToolExecutor executor) throws InterruptedException {
    ParallaxLangChain4j parallax = ParallaxLangChain4j.builder(executor).tools(tools).build();
    Agent agent =
        parallax
            .install(
                AiServices.builder(Agent.class)
                    .chatModel(new OneCallPerTurnModel())
                    .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50)))
            .build();
    agent.chat("warm-up", "getFlight W");
    lookupsRan(1);
    tools.looked.clear();
    tools.lookups.drainPermits();
    keys.clear();
    return agent;
  }

  /** Waits until getFlight has run {@code count} times in all (real calls and preloads). */
  private void lookupsRan(int count) throws InterruptedException {
    if (!tools.lookups.tryAcquire(count, WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("getFlight never ran " + count + " times: " + tools.looked);
    }
    tools.lookups.release(count);
  }

  @Test
  void sessionBaggageEntry_isThePlannersSessionBaggage() {
    assertThat(SessionBaggage.ENTRY).isEqualTo(Preloading.SESSION_BAGGAGE);
  }

  @Test
  void turnsOfOneConversation_shareAPreloadContext_soAPreloadFromAnEarlierTurnIsAHit()
      throws Exception {
    try (ToolExecutor executor = executor()) {
      Agent agent = agent(executor);
      assertThat(agent.chat("a", "listFlights mon")).contains("G");
      assertThat(agent.chat("a", "getFlight E")).isEqualTo("flight E"); // not preloaded: it runs
      long hits = cache.preloadStats().hits();
      // after getFlight(E), getFlight(F) was preloaded: F follows E in the list of turn 1
      assertThat(agent.chat("a", "getFlight F")).isEqualTo("flight F");
      assertThat(cache.preloadStats().hits()).isEqualTo(hits + 1);
      assertThat(tools.looked).containsOnlyOnce("E", "F");
      assertThat(keys.values()).containsOnly("a");
      assertThat(keys).hasSize(3); // three runs, one session
    }
  }

  @Test
  void eachTurnItsOwnConversation_seesNoEarlierList_andPreloadsNothingAfterALookup()
      throws Exception {
    // the control of the test above: other memory ids, so other sessions
    try (ToolExecutor executor = executor()) {
      Agent agent = agent(executor);
      agent.chat("a", "listFlights mon");
      long started = cache.preloadStats().started();
      agent.chat("b", "getFlight E");
      assertThat(cache.preloadStats().started()).isEqualTo(started);
    }
  }

  @Test
  void twoConversations_doNotCross() throws Exception {
    try (ToolExecutor executor = executor()) {
      Agent agent = agent(executor);
      agent.chat("a", "listFlights mon"); // ... E, F, G
      agent.chat("b", "listFlights tue"); // ... E, G, F
      agent.chat("a", "getFlight E");
      long started = cache.preloadStats().started();
      lookupsRan((int) started + 1); // the preloads and the real lookup of E
      // a's context holds mon's list only: the flight after E is F (tue's list would say G)
      assertThat(tools.looked).contains("E", "F").doesNotContain("G");
      assertThat(keys.values()).containsOnly("a", "b");
    }
  }

  @Test
  void callersOwnSessionBaggage_wins_overTheMemoryId() throws Exception {
    try (ToolExecutor executor = executor();
        Scope s =
            Baggage.current().toBuilder()
                .put(Preloading.SESSION_BAGGAGE, "user-session")
                .build()
                .makeCurrent()) {
      Agent agent = agent(executor);
      agent.chat("a", "listFlights mon");
      agent.chat("b", "getFlight E");
      assertThat(keys.values()).containsOnly("user-session");
      assertThat(cache.endSession("a")).isFalse();
      assertThat(cache.endSession("user-session")).isTrue();
    }
  }

  @Test
  void endingAConversation_endsItsPreloadSession_andTheNextTurnStartsAfresh() throws Exception {
    try (ToolExecutor executor = executor()) {
      Agent agent = agent(executor);
      agent.chat("a", "listFlights mon");
      assertThat(cache.endSession("a")).isTrue();
      assertThat(cache.preloadStats().sessionsEnded()).isEqualTo(1);

      long started = cache.preloadStats().started();
      agent.chat("a", "getFlight E"); // the list of the ended session is gone: nothing follows
      assertThat(cache.preloadStats().started()).isEqualTo(started);
    }
  }
}
