package dev.parallax.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableMap;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.internal.ToolArguments;
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
 * <h2>Arguments</h2>
 *
 * LLMs get argument names and types wrong; such arguments must reach the model again as an error,
 * not run the tool with {@code null}s. So JSON arguments are checked strictly when the call is
 * made, and arguments that do not fit give a {@linkplain ToolCall#rejected rejected call}: it ends
 * {@code FAILED} with an {@link InvalidArgumentsException} naming the property when it runs, no
 * tool runs, it is not retried, and the other calls of the run are unaffected. Nothing is thrown at
 * the caller for bad arguments. Rejected:
 *
 * <ul>
 *   <li>malformed JSON, and any content after the JSON value ({@code {"a":1} x}, {@code
 *       {"a":1}{"a":2}}); a property that appears twice;
 *   <li>for a tool with a declared input type: an unknown property; a missing required property or
 *       {@code null} for it (record components are required unless annotated {@code @Nullable};
 *       primitives always; other classes follow {@code @JsonProperty(required = true)}); a value of
 *       the wrong type (no coercion of strings to numbers or fractions to integers); for a {@link
 *       JsonNode} tool, arguments that are not a JSON object;
 *   <li>for a tool that publishes an {@linkplain ToolSpec#inputSchema() input schema}: a value the
 *       schema does not allow. The keywords checked are {@code type}, {@code properties}, {@code
 *       required}, {@code additionalProperties}, {@code enum}, {@code const}, {@code items}, {@code
 *       anyOf}, {@code oneOf}, {@code allOf}, the numeric and length bounds, {@code pattern} and
 *       local {@code $ref}s; others (formats, descriptions) are ignored.
 * </ul>
 *
 * A tool built with {@link Tools.Builder#lenientArguments(boolean) lenientArguments(true)} opts
 * out: unknown properties are ignored, missing ones become {@code null} or zero, content after the
 * value is ignored, the schema is not enforced; JSON that cannot be converted at all still gives a
 * rejected call.
 *
 * <p>Immutable and thread-safe.
 */
public final class ToolRegistry {

  private final ImmutableMap<String, Tool<?, ?>> tools;
  private final ImmutableMap<String, ToolArguments> arguments;

  private ToolRegistry(Map<String, Tool<?, ?>> tools) {
    this.tools = ImmutableMap.copyOf(tools);
    ImmutableMap.Builder<String, ToolArguments> parsers = ImmutableMap.builder();
    tools.forEach((name, tool) -> parsers.put(name, ToolArguments.of(tool)));
    this.arguments = parsers.build();
  }

  /**
   * Creates a registry of the given tools.
   *
   * @throws IllegalArgumentException if two tools share a name, or a tool publishes an input schema
   *     that is not a valid JSON schema
   */
  public static ToolRegistry of(Tool<?, ?>... tools) {
    Objects.requireNonNull(tools, "tools");
    return of(List.of(tools));
  }

  /**
   * Creates a registry of the given tools.
   *
   * @throws IllegalArgumentException if two tools share a name, or a tool publishes an input schema
   *     that is not a valid JSON schema
   */
  public static ToolRegistry of(Collection<? extends Tool<?, ?>> tools) {
    Objects.requireNonNull(tools, "tools");
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
    Objects.requireNonNull(name, "name");
    return Optional.ofNullable(tools.get(name));
  }

  /**
   * The tool with this name.
   *
   * @throws IllegalArgumentException naming the unknown tool and the known ones
   */
  public Tool<?, ?> require(String name) {
    Objects.requireNonNull(name, "name");
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
   * Makes a call from an LLM tool call: a tool name and its arguments as a JSON object. Arguments
   * that do not fit the tool give a {@linkplain ToolCall#rejected rejected call} (see the class
   * documentation), which fails with an {@link InvalidArgumentsException} when it runs.
   *
   * @param id the call id (an LLM's tool-call id)
   * @param toolName the name of a registered tool
   * @param jsonArguments the arguments as JSON text; empty or blank means {@code {}}
   * @throws IllegalArgumentException if the tool is unknown or the id is blank
   * @throws NullPointerException naming the argument if one is null
   */
  public ToolCall<?, ?> call(String id, String toolName, String jsonArguments) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(toolName, "toolName");
    Objects.requireNonNull(jsonArguments, "jsonArguments");
    Tool<?, ?> tool = require(toolName);
    Object input;
    try {
      input = arguments.get(toolName).parse(id, jsonArguments);
    } catch (InvalidArgumentsException e) {
      return ToolCall.rejected(id, tool, e);
    }
    return typed(id, tool, input);
  }

  /**
   * Makes a call from arguments already parsed as JSON; arguments that do not fit give a
   * {@linkplain ToolCall#rejected rejected call}, as for {@link #call(String, String, String)}.
   *
   * @throws IllegalArgumentException if the tool is unknown or the id is blank
   * @throws NullPointerException naming the argument if one is null
   */
  public ToolCall<?, ?> call(String id, String toolName, JsonNode arguments) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(toolName, "toolName");
    Objects.requireNonNull(arguments, "arguments");
    Tool<?, ?> tool = require(toolName);
    Object input;
    try {
      input = this.arguments.get(toolName).convert(id, arguments);
    } catch (InvalidArgumentsException e) {
      return ToolCall.rejected(id, tool, e);
    }
    return typed(id, tool, input);
  }

  @SuppressWarnings("unchecked")
  private static <I> ToolCall<I, ?> typed(String id, Tool<I, ?> tool, Object input) {
    return ToolCall.of(id, tool, (I) input);
  }
}
