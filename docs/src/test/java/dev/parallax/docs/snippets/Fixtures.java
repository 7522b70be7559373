package dev.parallax.docs.snippets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.preload.ObservedCall;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * What the README's snippets take as given — the user's own types, clients and tools. Snippets
 * extend it, so these names need no import there (as in a user's application).
 */
public class Fixtures {

  record Query(String text) {}

  record Hit(String title) {}

  record City(String city) {}

  /** A user's search client. */
  interface Catalogue {
    List<Hit> search(Query query);
  }

  final Catalogue catalogue = query -> List.of(new Hit("about " + query.text()));
  final Catalogue primaryClient = catalogue;
  final Catalogue mirrorClient = catalogue;
  final OpenTelemetry openTelemetry = OpenTelemetry.noop();
  final List<ExecutionRecord> history = new CopyOnWriteArrayList<>();

  final Tool<City, String> weather =
      Tools.named("weather").input(City.class).function((city, ctx) -> "sun in " + city.city());
  final Tool<String, String> fetch =
      Tools.named("fetch")
          .capabilities("web")
          .input(String.class)
          .function((url, ctx) -> "the page at " + url);
  final Tool<String, String> summarize =
      Tools.named("summarize")
          .input(String.class)
          .function((text, ctx) -> text.length() + " chars");
  final String urlA = "https://example.org/a";
  final String urlB = "https://example.org/b";

  /** A LangChain4j chat model of the user's (the snippets using it are compiled, not run). */
  dev.langchain4j.model.chat.@Nullable ChatModel model;

  /** A Spring AI chat model of the user's (the snippets using it are compiled, not run). */
  org.springframework.ai.chat.model.@Nullable ChatModel chatModel;

  final Tool<Query, List<Hit>> searchPrimary =
      Tools.named("search_primary")
          .capabilities("web_search")
          .idempotent(true)
          .input(Query.class)
          .function((query, ctx) -> primaryClient.search(query));
  final Tool<Query, List<Hit>> searchPaid =
      Tools.named("search_paid")
          .capabilities("web_search")
          .idempotent(true)
          .input(Query.class)
          .function((query, ctx) -> mirrorClient.search(query));
  final ToolRegistry tools = ToolRegistry.of(weather, fetch, summarize);
  final CallGraph graph =
      CallGraph.builder()
          .add(ToolCall.of("a", fetch, urlA))
          .add(ToolCall.of("b", fetch, urlB))
          .build();

  /** An airline agent's read-only tools: look a user up, read a reservation. */
  final Tool<JsonNode, JsonNode> getUser =
      Tools.named("get_user")
          .idempotent(true)
          .cacheable(true)
          .function(
              (args, ctx) ->
                  json("{\"reservations\":[\"R-" + args.get("user_id").asText() + "\"]}"));

  final Tool<JsonNode, String> getReservation =
      Tools.named("get_reservation")
          .idempotent(true)
          .cacheable(true)
          .function((args, ctx) -> "reservation " + args.get("reservation_id").asText());
  final ToolRegistry airlineTools = ToolRegistry.of(getUser, getReservation);

  /** The airline agent's past sessions: a user looked up, then their first reservation. */
  List<List<ObservedCall>> pastSessions() {
    List<List<ObservedCall>> sessions = new ArrayList<>();
    for (int u = 0; u < 10; u++) {
      String reservation = "R-u" + u;
      sessions.add(
          List.of(
              new ObservedCall(
                  "get_user",
                  json("{\"user_id\":\"u" + u + "\"}"),
                  json("{\"reservations\":[\"" + reservation + "\"]}")),
              new ObservedCall(
                  "get_reservation",
                  json("{\"reservation_id\":\"" + reservation + "\"}"),
                  json("\"reservation " + reservation + "\""))));
    }
    return sessions;
  }

  private static JsonNode json(String text) {
    try {
      return JsonMapper.builder().build().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** For the tests: the graph the snippets run. */
  public CallGraph graphForTest() {
    return graph;
  }

  /** For the tests: what the record-sink snippet collected. */
  public List<ExecutionRecord> historyForTest() {
    return history;
  }
}
