package dev.parallax.langchain4j.internal;

import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.tool.InvalidArgumentsException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Parallax call result into what LangChain4j sends back to the model. A call that did not
 * succeed becomes an error result ({@code isError}) whose text says what happened, written for the
 * model: never an exception, so the other calls of the turn keep their results. Internal; may
 * change at any time.
 */
public final class ResultMessages {

  private ResultMessages() {}

  /** The tool result for the model. */
  public static ToolExecutionResult toToolResult(CallResult<?> result) {
    if (result.isSuccess() && result.value() instanceof ToolExecutionResult ok) {
      return ok;
    }
    Throwable error = result.error();
    if (error instanceof LangChain4jTool.ReportedError reported) {
      return reported.result();
    }
    return ToolExecutionResult.builder().isError(true).resultText(text(result, error)).build();
  }

  private static String text(CallResult<?> result, @Nullable Throwable error) {
    String tool = "tool '" + result.tool() + "'";
    return switch (result.status()) {
      case SUCCEEDED -> tool + " returned no result";
      case TIMED_OUT ->
          "Error: "
              + tool
              + " timed out"
              + (error instanceof ToolTimeoutException t ? " after " + t.limit() : "")
              + "; try again later or without it.";
      case CANCELLED ->
          "Error: " + tool + " was cancelled before it finished (" + message(error) + ").";
      case SKIPPED -> "Error: " + tool + " was skipped (" + message(error) + ").";
      case FAILED ->
          error instanceof InvalidArgumentsException invalid
              ? "Error: invalid arguments for "
                  + tool
                  + ": "
                  + invalid.reason()
                  + ". Correct the arguments and call it again."
              : "Error: "
                  + tool
                  + " failed"
                  + (result.attempts() > 1 ? " after " + result.attempts() + " attempts" : "")
                  + ": "
                  + message(error);
    };
  }

  private static String message(@Nullable Throwable error) {
    if (error == null) {
      return "unknown error";
    }
    String message = error.getMessage();
    return message == null || message.isBlank() ? error.getClass().getName() : message;
  }
}
