package dev.parallax.langchain4j.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a LangChain4j tool's parameters ({@link JsonObjectSchema}) as JSON Schema text, with
 * LangChain4j's own lossless converter. Internal; may change at any time.
 */
public final class Schemas {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Schemas() {}

  /** The JSON Schema of the tool's arguments; a tool without parameters takes an empty object. */
  public static String inputSchema(ToolSpecification spec) {
    JsonObjectSchema parameters = spec.parameters();
    Map<String, Object> schema;
    if (parameters == null) {
      schema = new LinkedHashMap<>();
      schema.put("type", "object");
      schema.put("properties", Map.of());
    } else {
      schema = JsonSchemaElementJsonUtils.toMap(parameters);
    }
    try {
      return JSON.writeValueAsString(schema);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the parameters of tool '" + spec.name() + "' cannot be written as JSON Schema", e);
    }
  }
}
