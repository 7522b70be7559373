package dev.parallax.core.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import dev.parallax.core.call.ToolCall;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds tools by name and turns the tool calls an LLM emits (a name and a JSON object of arguments)
 * into {@link ToolCall}s.
 *
 * <p>Immutable and thread-safe. JSON arguments are parsed and converted to the tool's declared
 * input type when the call is made, so a bad call fails before anything runs.
 */
public final class ToolRegistry {

  private static final ObjectMapper JSON = dev.parallax.core.internal.Json.MAPPER;

  private final ImmutableMap<String, Tool<?, ?>> tools;

  private ToolRegistry(Map<String, Tool<?, ?>> tools) {
    this.tools = ImmutableMap.copyOf(tools);
  }

  /**
   * Creates a registry of the given tools.
   *
   * @throws IllegalArgumentException if two tools share a name
   */
  public static ToolRegistry of(Tool<?, ?>... tools) {
    return of(List.of(tools));
  }

  /**
   * Creates a registry of the given tools.
   *
   * @throws IllegalArgumentException if two tools share a name
   */
  public static ToolRegistry of(Collection<? extends Tool<?, ?>> tools) {
    Map<String, Tool<?, ?>> byName = new LinkedHashMap<>();
    for (Tool<?, ?> tool : tools) {
      Objects.requireNonNull(tool, "tool");
      Tool<?, ?> previous = byName.putIfAbsent(tool.name(), tool);
      if (previous != null) {
        throw new IllegalArgumentException("two tools are named '" + tool.name() + "'");
      }
    }
    return new ToolRegistry(byName);
  }

  /** The tool with this name, if any. */
  public Optional<Tool<?, ?>> find(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /**
   * The tool with this name.
   *
   * @throws IllegalArgumentException naming the unknown tool and the known ones
   */
  public Tool<?, ?> require(String name) {
    Tool<?, ?> tool = tools.get(name);
    if (tool == null) {
      throw new IllegalArgumentException(
          "unknown tool '" + name + "'; known tools: " + tools.keySet());
    }
    return tool;
  }

  /** The registered tools, in registration order. */
  public Collection<Tool<?, ?>> tools() {
    return tools.values();
  }

  /**
   * Makes a call from an LLM tool call: a tool name and its arguments as a JSON object.
   *
   * @param id the call id (an LLM's tool-call id)
   * @param toolName the name of a registered tool
   * @param jsonArguments the arguments as JSON text; empty or blank means {@code {}}
   * @throws IllegalArgumentException if the tool is unknown or the arguments are not valid JSON for
   *     the tool's input type; the message names the call and the tool
   */
  public ToolCall<?, ?> call(String id, String toolName, String jsonArguments) {
    Objects.requireNonNull(id, "call id");
    Tool<?, ?> tool = require(toolName);
    JsonNode arguments;
    try {
      arguments = JSON.readTree(jsonArguments.isBlank() ? "{}" : jsonArguments);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "call '"
              + id
              + "' to tool '"
              + toolName
              + "' has malformed JSON arguments: "
              + e.getOriginalMessage(),
          e);
    }
    return call(id, tool, arguments);
  }

  /**
   * Makes a call from arguments already parsed as JSON.
   *
   * @throws IllegalArgumentException if the arguments do not fit the tool's input type
   */
  public ToolCall<?, ?> call(String id, String toolName, JsonNode arguments) {
    return call(id, require(toolName), arguments);
  }

  private static <I> ToolCall<I, ?> call(String id, Tool<I, ?> tool, JsonNode arguments) {
    @SuppressWarnings("unchecked")
    Class<I> type = (Class<I>) tool.spec().inputType();
    I input;
    try {
      input = type.isInstance(arguments) ? type.cast(arguments) : JSON.treeToValue(arguments, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "call '"
              + id
              + "': arguments do not fit the input type "
              + type.getSimpleName()
              + " of tool '"
              + tool.name()
              + "': "
              + e.getMessage(),
          e);
    }
    if (input == null) {
      throw new IllegalArgumentException(
          "call '" + id + "' to tool '" + tool.name() + "' has null arguments");
    }
    return ToolCall.of(id, tool, input);
  }
}
