package dev.parallax.core.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tools found by name, and LLM tool calls (a name and JSON arguments) turned into calls. */
class ToolRegistryTest {

  record Query(String text, int limit) {}

  private final Tool<Query, String> search =
      Tools.named("search")
          .description("Searches")
          .idempotent(true)
          .input(Query.class)
          .function((q, ctx) -> q.text() + "/" + q.limit());

  private final Tool<JsonNode, Integer> count =
      Tools.named("count").function((args, ctx) -> args.get("items").size());

  private final ToolRegistry registry = ToolRegistry.of(search, count);

  @Test
  void jsonArguments_areConvertedToTheDeclaredInputType_andRun() {
    ToolCall<?, ?> typed = registry.call("call_1", "search", "{\"limit\": 3, \"text\": \"jvm\"}");
    ToolCall<?, ?> json = registry.call("call_2", "count", "{\"items\": [1, 2, 3, 4]}");
    assertThat(typed.input()).isEqualTo(new Query("jvm", 3));

    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      RunResult run = executor.executeParallel(List.of(typed, json));
      assertThat(run.get("call_1").value()).isEqualTo("jvm/3");
      assertThat(run.get("call_2").value()).isEqualTo(4);
    }
  }

  @Test
  void emptyArguments_meanAnEmptyObject() {
    assertThat(registry.call("c", "count", "  ").input()).hasToString("{}");
  }

  @Test
  void malformedJson_givesARejectedCallNamingTheCallAndTool() {
    // bad arguments no longer throw at the caller: the call fails when it runs (issue 11, item 14)
    ToolCall<?, ?> call = registry.call("call_9", "search", "{\"text\": ");
    assertThat(call.argumentsError())
        .isNotNull()
        .hasMessageContaining("call 'call_9'")
        .hasMessageContaining("'search'")
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void argumentsOfTheWrongShape_giveARejectedCallNamingTheProperty() {
    ToolCall<?, ?> call =
        registry.call("call_3", "search", "{\"text\": \"a\", \"limit\": \"many\"}");
    assertThat(call.argumentsError())
        .isNotNull()
        .hasMessageContaining("call 'call_3'")
        .hasMessageContaining("property 'limit' must be an integer");
    assertThat(call.argumentsError().property()).isEqualTo("limit");
  }

  @Test
  void duplicateToolNames_areRejected() {
    assertThatThrownBy(() -> ToolRegistry.of(search, search))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two tools are named 'search'");
  }

  @Test
  void invalidToolName_isRejected() {
    assertThatThrownBy(() -> Tools.named("has space").function((a, c) -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'has space'");
  }

  @Test
  void toolsDeclareTheirProperties() {
    assertThat(search.spec().idempotent()).isTrue();
    assertThat(search.spec().cacheable()).isFalse();
    assertThat(search.spec().concurrencySafe()).isTrue();
    assertThat(registry.find("count")).contains(count);
    assertThat(registry.find("nope")).isEmpty();
  }
}
