package dev.parallax.springai.internal;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.parallax.core.tool.ArgumentFeatures;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@linkplain dev.parallax.core.tool.ToolSpec#cacheable() cacheable} tool call whose arguments
 * are a JSON object, with its input and output as JSON rather than text: the result cache keys it
 * by canonical JSON (the order of members and white space do not matter), and preloading, which
 * learns from arguments and results as JSON, sees their structure (an id in one call's result that
 * the next call takes). The callback still gets the model's own argument text; a call with other
 * arguments (a preload) gets them written by Jackson. May change at any time.
 */
public final class JsonCallbackTool implements Tool<JsonNode, JsonCallbackTool.Text> {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the callback returned: its text, as JSON the parsed text if it is JSON. */
  public static final class Text {
    private final String text;

    Text(String text) {
      this.text = text;
    }

    /** The text parsed as JSON, else the text as a JSON string. */
    @JsonValue
    public JsonNode json() {
      try {
        JsonNode parsed = JSON.readTree(text);
        return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(text) : parsed;
      } catch (JsonProcessingException e) {
        return TextNode.valueOf(text);
      }
    }

    /** The text the callback returned. */
    @Override
    public String toString() {
      return text;
    }
  }

  private final ToolSpec spec;
  private final CallbackTool tool;
  private final String arguments;
  private final JsonNode parsed;

  private JsonCallbackTool(ToolSpec spec, CallbackTool tool, String arguments, JsonNode parsed) {
    this.spec = spec;
    this.tool = tool;
    this.arguments = arguments;
    this.parsed = parsed;
  }

  /** The arguments as a JSON object, or null if they are not one. */
  public static @Nullable JsonNode object(String arguments) {
    try {
      JsonNode node = JSON.readTree(arguments);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * The call's tool with JSON input and output.
   *
   * @param tool the call's tool
   * @param arguments the model's argument text
   * @param parsed the arguments as a JSON object ({@link #object})
   */
  public static JsonCallbackTool of(CallbackTool tool, String arguments, JsonNode parsed) {
    ToolSpec text = tool.spec();
    ToolSpec spec =
        ToolSpec.builder(text.name())
            .description(text.description())
            .inputType(JsonNode.class)
            .inputSchema(text.inputSchema())
            .idempotent(text.idempotent())
            .cacheable(text.cacheable())
            .build();
    return new JsonCallbackTool(spec, tool, arguments, parsed);
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public Text call(JsonNode input, ToolContext context) {
    String result = tool.call(input.equals(parsed) ? arguments : input.toString(), context);
    return new Text(result == null ? "" : result);
  }

  @Override
  public Map<String, Double> features(JsonNode input) {
    return ArgumentFeatures.of(input);
  }
}
