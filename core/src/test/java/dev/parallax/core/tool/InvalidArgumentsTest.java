package dev.parallax.core.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JSON arguments that do not fit a tool fail the call with an error naming the property, and no
 * tool runs (issue 11, item 14). Cases after LangChain4j's ToolArgumentsException handling and
 * LangGraph's ToolNode tests ({@code libs/prebuilt/tests/test_tool_node.py}, invalid tool call
 * arguments are answered with an error message to the model instead of raising).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InvalidArgumentsTest {

  record Weather(String city, @Nullable String units, int days) {}

  record Stop(String name, double lat) {}

  record Route(List<Stop> stops, @Nullable String mode) {}

  private final AtomicInteger weatherRuns = new AtomicInteger();
  private final Tool<Weather, String> weather =
      Tools.named("weather")
          .idempotent(true)
          .input(Weather.class)
          .function(
              (w, ctx) -> {
                weatherRuns.incrementAndGet();
                return w.city() + "/" + w.units() + "/" + w.days();
              });
  private final Tool<Route, Integer> route =
      Tools.named("route").input(Route.class).function((r, ctx) -> r.stops().size());
  private final Tool<JsonNode, String> convert =
      Tools.named("convert")
          .inputSchema(
              """
              {"type": "object",
               "properties": {
                 "amount": {"type": "number", "minimum": 0},
                 "currency": {"type": "string", "enum": ["EUR", "USD"]},
                 "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}},
               "required": ["amount", "currency"],
               "additionalProperties": false}
              """)
          .function((args, ctx) -> args.get("amount") + " " + args.get("currency").asText());
  private final Tool<Weather, String> lenientWeather =
      Tools.named("lenient_weather")
          .lenientArguments(true)
          .input(Weather.class)
          .function((w, ctx) -> w.city() + "/" + w.days());

  private final ToolRegistry registry = ToolRegistry.of(weather, route, convert, lenientWeather);
  private final ToolExecutor executor =
      ToolExecutor.builder().retryPolicy(RetryPolicy.ofDefaults()).build();

  @AfterEach
  void close() {
    executor.close();
  }

  private InvalidArgumentsException rejection(String tool, String json) {
    ToolCall<?, ?> call = registry.call("call_1", tool, json);
    assertThat(call.argumentsError()).as("arguments %s for %s", json, tool).isNotNull();
    return call.argumentsError();
  }

  @Test
  void unknownProperty_townInsteadOfCity_failsTheCallNamingTheProperty() {
    // the bug: {"town":"Lisbon"} ran the tool with city=null
    ToolCall<?, ?> call = registry.call("call_1", "weather", "{\"town\": \"Lisbon\", \"days\": 1}");

    RunResult run = executor.executeParallel(List.of(call));

    CallResult<?> result = run.get("call_1");
    assertThat(result.status()).isEqualTo(CallStatus.FAILED);
    assertThat(result.error()).isInstanceOf(InvalidArgumentsException.class);
    InvalidArgumentsException error = (InvalidArgumentsException) result.error();
    assertThat(error.property()).isEqualTo("town");
    assertThat(error.toolName()).isEqualTo("weather");
    assertThat(error.callId()).isEqualTo("call_1");
    assertThat(error.reason())
        .contains("unknown property 'town'")
        .contains("city", "units", "days");
    assertThat(error.getMessage()).startsWith("call 'call_1' to tool 'weather'");
    assertThat(weatherRuns).as("no tool ran").hasValue(0);
  }

  @Test
  void emptyObject_forARecordWithAPrimitive_isAMissingRequiredProperty() {
    // the bug: {} gave city=null and days=0
    InvalidArgumentsException error = rejection("weather", "{}");
    assertThat(error.property()).isIn("city", "days");
    assertThat(error.reason()).startsWith("missing required property '" + error.property() + "'");

    InvalidArgumentsException noDays = rejection("weather", "{\"city\": \"Lisbon\"}");
    assertThat(noDays.property()).isEqualTo("days");
    assertThat(noDays.reason()).isEqualTo("missing required property 'days'");
  }

  @Test
  void trailingGarbage_afterTheJsonValue_isRejected() {
    // the bug: {"a":1} x and {"a":1}{"a":2} were accepted
    for (String json :
        List.of(
            "{\"city\": \"Lisbon\", \"days\": 1} x",
            "{\"city\": \"Lisbon\", \"days\": 1}{\"city\": \"Porto\", \"days\": 2}")) {
      InvalidArgumentsException error = rejection("weather", json);
      assertThat(error.property()).isNull();
      assertThat(error.reason()).contains("content after the JSON value");
    }
    assertThat(rejection("convert", "{\"amount\": 1, \"currency\": \"EUR\"} ]").reason())
        .contains("content after the JSON value");
  }

  @Test
  void nullForAPrimitive_andNullForARequiredComponent_areRejectedNamingTheProperty() {
    InvalidArgumentsException days = rejection("weather", "{\"city\": \"Lisbon\", \"days\": null}");
    assertThat(days.property()).isEqualTo("days");
    InvalidArgumentsException city = rejection("weather", "{\"city\": null, \"days\": 1}");
    assertThat(city.property()).isEqualTo("city");
    assertThat(city.reason()).isEqualTo("property 'city' must not be null");
  }

  @Test
  void nullableComponents_mayBeMissingOrNull() {
    ToolCall<?, ?> missing = registry.call("a", "weather", "{\"city\": \"Lisbon\", \"days\": 2}");
    ToolCall<?, ?> explicitNull =
        registry.call("b", "weather", "{\"city\": \"Lisbon\", \"units\": null, \"days\": 2}");
    ToolCall<?, ?> noMode = registry.call("c", "route", "{\"stops\": []}");

    assertThat(missing.input()).isEqualTo(new Weather("Lisbon", null, 2));
    assertThat(explicitNull.input()).isEqualTo(new Weather("Lisbon", null, 2));
    assertThat(noMode.input()).isEqualTo(new Route(List.of(), null));
  }

  @Test
  void wrongType_isRejectedNamingThePropertyAndTheExpectedType() {
    InvalidArgumentsException many =
        rejection("weather", "{\"city\": \"Lisbon\", \"days\": \"many\"}");
    assertThat(many.property()).isEqualTo("days");
    assertThat(many.reason()).isEqualTo("property 'days' must be an integer, was a string");
    assertThat(many.getMessage()).doesNotContain("many");

    InvalidArgumentsException quoted =
        rejection("weather", "{\"city\": \"Lisbon\", \"days\": \"3\"}");
    assertThat(quoted.property()).isEqualTo("days");

    InvalidArgumentsException fraction =
        rejection("weather", "{\"city\": \"Lisbon\", \"days\": 2.5}");
    assertThat(fraction.property()).isEqualTo("days");
  }

  @Test
  void nestedProblems_nameThePathOfTheProperty() {
    InvalidArgumentsException missing =
        rejection("route", "{\"stops\": [{\"name\": \"A\", \"lat\": 1}, {\"lat\": 2}]}");
    assertThat(missing.property()).isEqualTo("stops[1].name");
    assertThat(missing.reason()).isEqualTo("missing required property 'stops[1].name'");

    InvalidArgumentsException unknown =
        rejection("route", "{\"stops\": [{\"name\": \"A\", \"lat\": 1, \"lng\": 2}]}");
    assertThat(unknown.property()).isEqualTo("stops[0].lng");
    assertThat(unknown.reason()).contains("of 'stops[0]'").contains("name, lat");
  }

  @Test
  void malformedJson_andDuplicateKeys_giveARejectedCall() {
    assertThat(rejection("weather", "{\"city\": ").reason()).startsWith("malformed JSON");
    assertThat(rejection("weather", "{\"city\": \"A\", \"city\": \"B\", \"days\": 1}").reason())
        .contains("appears twice");
  }

  @Test
  void publishedSchema_isEnforced_namingTheProperty() {
    InvalidArgumentsException currency =
        rejection("convert", "{\"amount\": 3, \"currency\": \"GBP\"}");
    assertThat(currency.property()).isEqualTo("currency");
    assertThat(currency.reason())
        .isEqualTo("property 'currency' must be one of [\"EUR\",\"USD\"], was another string");
    // values are never repeated: arguments may hold secrets, and errors end up on spans
    assertThat(currency.getMessage()).doesNotContain("GBP");

    InvalidArgumentsException extra =
        rejection("convert", "{\"amount\": 3, \"currency\": \"EUR\", \"rate\": 1}");
    assertThat(extra.property()).isEqualTo("rate");
    assertThat(extra.reason()).contains("unknown property 'rate'");

    InvalidArgumentsException required = rejection("convert", "{\"amount\": 3}");
    assertThat(required.property()).isEqualTo("currency");

    assertThat(rejection("convert", "{\"amount\": -1, \"currency\": \"EUR\"}").property())
        .isEqualTo("amount");
    assertThat(
            rejection("convert", "{\"amount\": 1, \"currency\": \"EUR\", \"tags\": [\"a\", 2]}")
                .property())
        .isEqualTo("tags[1]");
    assertThat(rejection("convert", "[1, 2]").reason()).contains("must be an object");
  }

  @Test
  void jsonNodeTool_withoutSchema_takesOnlyAnObject() {
    Tool<JsonNode, String> any = Tools.named("any").function((args, ctx) -> args.toString());
    ToolRegistry anyRegistry = ToolRegistry.of(any);
    assertThat(anyRegistry.call("a", "any", "{\"x\": 1}").argumentsError()).isNull();
    assertThat(anyRegistry.call("b", "any", "  ").input()).hasToString("{}");
    assertThat(anyRegistry.call("c", "any", "[1]").argumentsError().reason())
        .contains("must be a JSON object");
  }

  @Test
  void validArguments_fromParsedJson_areConvertedAndChecked() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ToolCall<?, ?> ok =
        registry.call("a", "weather", mapper.readTree("{\"city\": \"Lisbon\", \"days\": 1}"));
    ToolCall<?, ?> bad = registry.call("b", "weather", mapper.readTree("{\"town\": \"Lisbon\"}"));
    assertThat(ok.input()).isEqualTo(new Weather("Lisbon", null, 1));
    assertThat(bad.argumentsError()).isNotNull();
    assertThat(bad.input()).isNull();
  }

  @Test
  void lenientTool_acceptsArgumentsThatDoNotFit_asBefore() {
    ToolCall<?, ?> call = registry.call("a", "lenient_weather", "{\"town\": \"Lisbon\"} x");
    assertThat(call.argumentsError()).isNull();
    assertThat(call.input()).isEqualTo(new Weather(null, null, 0));
    assertThat(lenientWeather.spec().lenientArguments()).isTrue();
    assertThat(weather.spec().lenientArguments()).isFalse();

    // what cannot be converted at all still fails the call
    assertThat(registry.call("b", "lenient_weather", "{\"days\": \"many\"}").argumentsError())
        .isNotNull();
  }

  @Test
  void rejectedCall_failsAlone_inEveryMode_andIsNeverRetried() {
    for (String mode : List.of("parallel", "sequential", "graph", "async")) {
      weatherRuns.set(0);
      ToolCall<?, ?> good = registry.call("good", "weather", "{\"city\": \"Lisbon\", \"days\": 1}");
      ToolCall<?, ?> bad = registry.call("bad", "weather", "{\"town\": \"Lisbon\", \"days\": 1}");
      List<ToolCall<?, ?>> calls = List.of(good, bad);
      RunResult run =
          switch (mode) {
            case "parallel" -> executor.executeParallel(calls);
            case "sequential" ->
                executor.execute(
                    ExecutionPlan.sequential(calls).withFailureMode(FailureMode.CONTINUE));
            case "graph" -> executor.executeGraph(CallGraph.builder().add(good).add(bad).build());
            default -> executor.executeParallelAsync(calls).orTimeout(20, TimeUnit.SECONDS).join();
          };
      assertThat(run.get("good").status()).as(mode).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(run.get("good").value()).isEqualTo("Lisbon/null/1");
      CallResult<?> failed = run.get("bad");
      assertThat(failed.status()).as(mode).isEqualTo(CallStatus.FAILED);
      assertThat(failed.error()).isInstanceOf(InvalidArgumentsException.class);
      // the tool is idempotent and the policy retries: still, invalid arguments are not retried
      assertThat(failed.attempts()).as("no attempt, in " + mode).isZero();
      assertThat(failed.startedAt()).as(mode).isNull();
      assertThat(weatherRuns).as("only the good call ran, in " + mode).hasValue(1);
    }
  }

  @Test
  void retryPolicy_neverRetriesInvalidArguments() {
    InvalidArgumentsException error = rejection("weather", "{}");
    assertThat(RetryPolicy.ofDefaults().shouldRetry(1, error, weather.spec())).isFalse();
    assertThat(
            RetryPolicy.builder()
                .retryOn(e -> true)
                .retryNonIdempotent(true)
                .build()
                .shouldRetry(1, error, weather.spec()))
        .isFalse();
  }

  @Test
  void invalidPublishedSchema_isRejectedWhenTheRegistryIsMade_namingTheTool() {
    Tool<JsonNode, String> broken =
        Tools.named("broken").inputSchema("{\"type\": ").function((a, c) -> "");
    assertThatThrownBy(() -> ToolRegistry.of(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool 'broken' publishes an invalid input schema");
  }

  @Test
  void registryCall_withNullArguments_namesTheArgument() {
    // the bug: registry.call(id, tool, (String) null) threw an NPE naming nothing
    assertThatThrownBy(() -> registry.call("c", "weather", (String) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("jsonArguments");
    assertThatThrownBy(() -> registry.call(null, "weather", "{}"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("id");
    assertThatThrownBy(() -> registry.call("c", null, "{}"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("toolName");
    assertThatThrownBy(() -> registry.call("c", "weather", (JsonNode) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("arguments");
  }

  @Test
  void executorLevelDeadline_doesNotMatter_forARejectedCall() {
    // a rejected call never waits for anything: it fails as soon as it is dispatched
    try (ToolExecutor bounded = ToolExecutor.builder().runDeadline(Duration.ofMinutes(5)).build()) {
      RunResult run = bounded.executeParallel(List.of(registry.call("x", "weather", "{}")));
      assertThat(run.get("x").status()).isEqualTo(CallStatus.FAILED);
    }
  }
}
