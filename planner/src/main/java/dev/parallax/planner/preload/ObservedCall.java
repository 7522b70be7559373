package dev.parallax.planner.preload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One finished tool call as preloading sees it: the tool's name, its arguments and its result as
 * JSON. A call that failed has no result.
 *
 * @param tool the tool's name
 * @param arguments the input as JSON (an object for tools with named arguments)
 * @param result the result as JSON, or {@code null} when the call failed
 */
public record ObservedCall(String tool, JsonNode arguments, @Nullable JsonNode result) {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** Checks the fields. */
  public ObservedCall {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
  }

  /**
   * A call with its input and result converted to JSON by Jackson.
   *
   * @throws IllegalArgumentException if Jackson cannot convert the input or the result
   */
  public static ObservedCall of(String tool, @Nullable Object input, @Nullable Object result) {
    return new ObservedCall(tool, toJson(input), result == null ? null : toJson(result));
  }

  private static JsonNode toJson(@Nullable Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    return value instanceof JsonNode node ? node : JSON.valueToTree(value);
  }
}
