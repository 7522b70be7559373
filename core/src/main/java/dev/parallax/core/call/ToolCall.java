package dev.parallax.core.call;

import dev.parallax.core.tool.Tool;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One call of a tool: an id, the tool and its input. In a graph the input may instead be computed
 * from the results of the call's dependencies when it becomes ready.
 *
 * <p>Immutable and thread-safe (as far as the input is).
 *
 * @param <I> the tool's input type
 * @param <O> the tool's output type
 */
public final class ToolCall<I, O> {

  private final String id;
  private final Tool<I, O> tool;
  private final @Nullable I input;
  private final @Nullable Function<Map<String, CallResult<?>>, I> inputFromDependencies;

  private ToolCall(
      String id,
      Tool<I, O> tool,
      @Nullable I input,
      @Nullable Function<Map<String, CallResult<?>>, I> inputFromDependencies) {
    if (id == null) {
      throw new IllegalArgumentException("call id must not be null (tool " + nameOf(tool) + ")");
    }
    if (id.isBlank()) {
      throw new IllegalArgumentException("call id must not be blank (tool " + nameOf(tool) + ")");
    }
    if (tool == null) {
      throw new IllegalArgumentException("call '" + id + "' has no tool");
    }
    this.id = id;
    this.tool = tool;
    this.input = input;
    this.inputFromDependencies = inputFromDependencies;
  }

  /**
   * A call with a fixed input.
   *
   * @throws IllegalArgumentException if the id is null or blank, or the tool or input is null
   */
  public static <I, O> ToolCall<I, O> of(String id, Tool<I, O> tool, I input) {
    if (input == null) {
      throw new IllegalArgumentException("call '" + id + "' has a null input");
    }
    return new ToolCall<>(id, tool, input, null);
  }

  /**
   * A graph call whose input is computed from its dependencies' results, keyed by call id, when all
   * of them have succeeded. If the function throws, the call fails without running the tool.
   */
  public static <I, O> ToolCall<I, O> derived(
      String id, Tool<I, O> tool, Function<Map<String, CallResult<?>>, I> inputFromDependencies) {
    Objects.requireNonNull(inputFromDependencies, "inputFromDependencies");
    return new ToolCall<>(id, tool, null, inputFromDependencies);
  }

  /** The call id. */
  public String id() {
    return id;
  }

  /** The tool to call. */
  public Tool<I, O> tool() {
    return tool;
  }

  /** The fixed input, or {@code null} for a call whose input is derived from dependencies. */
  public @Nullable I input() {
    return input;
  }

  /**
   * The input of this call given its dependencies' results.
   *
   * @throws NullPointerException if a derived input function returned null
   */
  public I resolveInput(Map<String, CallResult<?>> dependencies) {
    if (inputFromDependencies == null) {
      return Objects.requireNonNull(input);
    }
    return Objects.requireNonNull(
        inputFromDependencies.apply(dependencies),
        () -> "the input function of call '" + id + "' returned null");
  }

  private static String nameOf(@Nullable Tool<?, ?> tool) {
    return tool == null ? "<none>" : "'" + tool.name() + "'";
  }

  @Override
  public String toString() {
    return "ToolCall[" + id + " -> " + tool.name() + "]";
  }
}
