package dev.parallax.springai.internal;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.execution.ToolExecutionExceptionProcessor;

/**
 * Turns a call that did not succeed into the text of its tool response, so the model learns what
 * happened to that call while the other calls' results are kept. May change at any time.
 *
 * <ul>
 *   <li>An exception the tool threw goes to the {@link ToolExecutionExceptionProcessor}, as with
 *       Spring AI's default manager (a {@link ToolExecutionException} as it is, any other runtime
 *       exception wrapped in one). The processor may throw instead: that is its way to end the
 *       turn, and the exception is let through.
 *   <li>A timeout, a cancellation, an unknown tool and an {@link Error} get a message of their own,
 *       starting with {@code "Error: "}, naming the tool and what happened.
 * </ul>
 */
public final class FailureMessages {

  private FailureMessages() {}

  /**
   * The response text of a call that did not succeed.
   *
   * @param result the call's result; its status is not {@code SUCCEEDED}
   * @param requestedName the tool name the model used
   * @param definition the tool's definition, or {@code null} if the tool is unknown
   * @param processor converts a tool's exception to text, or throws
   * @throws RuntimeException what the processor throws
   */
  public static String of(
      CallResult<?> result,
      String requestedName,
      @Nullable ToolDefinition definition,
      ToolExecutionExceptionProcessor processor) {
    Throwable error = Objects.requireNonNull(result.error(), "a failed result has an error");
    if (error instanceof UnknownToolException) {
      return error.getMessage();
    }
    CallStatus status = result.status();
    if (status == CallStatus.FAILED && definition != null) {
      if (error instanceof ToolExecutionException toolError) {
        return processor.process(toolError);
      }
      if (error instanceof RuntimeException runtime) {
        return processor.process(new ToolExecutionException(definition, runtime));
      }
    }
    return switch (status) {
      case TIMED_OUT ->
          "Error: tool '"
              + requestedName
              + "' did not finish in time"
              + attempts(result)
              + " ("
              + error.getMessage()
              + "). Its result is unknown.";
      case CANCELLED ->
          "Error: tool '"
              + requestedName
              + "' was cancelled before it finished ("
              + error.getMessage()
              + ").";
      case SKIPPED -> "Error: tool '" + requestedName + "' was skipped: " + error.getMessage();
      default ->
          "Error: tool '"
              + requestedName
              + "' failed"
              + attempts(result)
              + ": "
              + error.getClass().getSimpleName()
              + (error.getMessage() == null ? "" : ": " + error.getMessage());
    };
  }

  private static String attempts(CallResult<?> result) {
    return result.attempts() > 1 ? " after " + result.attempts() + " attempts" : "";
  }
}
