package dev.parallax.core.call;

import dev.parallax.core.tool.InvalidArgumentsException;
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
  private final @Nullable InvalidArgumentsException argumentsError;

  private ToolCall(
      String id,
      Tool<I, O> tool,
      @Nullable I input,
      @Nullable Function<Map<String, CallResult<?>>, I> inputFromDependencies,
      @Nullable InvalidArgumentsException argumentsError) {
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
    this.argumentsError = argumentsError;
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
    return new ToolCall<>(id, tool, input, null, null);
  }

  /**
   * A graph call whose input is computed from its dependencies' results, keyed by call id, when all
   * of them have succeeded. If the function throws, the call fails without running the tool.
   */
  public static <I, O> ToolCall<I, O> derived(
      String id, Tool<I, O> tool, Function<Map<String, CallResult<?>>, I> inputFromDependencies) {
    Objects.requireNonNull(inputFromDependencies, "inputFromDependencies");
    return new ToolCall<>(id, tool, null, inputFromDependencies, null);
  }

  /**
   * A call whose arguments were rejected before it could be made (see {@link
   * dev.parallax.core.tool.ToolRegistry#call(String, String, String)}): it has no input, and
   * running it ends {@code FAILED} with the given error; the tool does not run and the call is not
   * retried. It takes part in a plan like any call, so the other calls of the run are unaffected.
   *
   * @throws IllegalArgumentException if the id is null or blank, or the tool is null
   * @throws NullPointerException if the error is null
   */
  public static <I, O> ToolCall<I, O> rejected(
      String id, Tool<I, O> tool, InvalidArgumentsException error) {
    Objects.requireNonNull(error, "error");
    return new ToolCall<>(id, tool, null, null, error);
  }

  /** The call id. */
  public String id() {
    return id;
  }

  /** The tool to call. */
  public Tool<I, O> tool() {
    return tool;
  }

  /**
   * The fixed input, or {@code null} for a call whose input is derived from dependencies or whose
   * arguments were {@linkplain #rejected rejected}.
   */
  public @Nullable I input() {
    return input;
  }

  /**
   * Why the arguments of this call were rejected, or {@code null} for a call that has an input (or
   * derives one).
   */
  public @Nullable InvalidArgumentsException argumentsError() {
    return argumentsError;
  }

  /**
   * The input of this call given its dependencies' results.
   *
   * @throws InvalidArgumentsException if the call's arguments were {@linkplain #rejected rejected}
   * @throws NullPointerException if a derived input function returned null
   */
  public I resolveInput(Map<String, CallResult<?>> dependencies) {
    if (argumentsError != null) {
      throw argumentsError;
    }
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
