package dev.parallax.langchain4j.internal;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.parallax.core.tool.ArgumentFeatures;
import dev.parallax.core.tool.InvalidArgumentsException;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j tool as a Parallax tool. Its input is the call's arguments as JSON (checked by
 * Parallax against the tool's schema before it runs); the original request and LangChain4j's
 * invocation context, which the LangChain4j executor needs, travel beside the call in {@link
 * #inFlight}, keyed by run and call id; a call the adapter did not make (a preload) runs with a
 * request rebuilt from its arguments and no invocation context. What the LangChain4j executor
 * throws is unwrapped, so that Parallax's retry policy sees the tool's own exception. Internal; may
 * change at any time.
 */
public final class LangChain4jTool implements Tool<JsonNode, ToolExecutionResult> {

  /** What a call needs besides its arguments. */
  public record Pending(ToolExecutionRequest request, @Nullable InvocationContext context) {}

  /** A result LangChain4j's executor itself marked as an error: a failed call for Parallax. */
  public static final class ReportedError extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ToolExecutionResult result;

    ReportedError(String tool, ToolExecutionResult result) {
      super("tool '" + tool + "' reported an error");
      this.result = result;
    }

    /** The error result as the tool gave it. */
    public ToolExecutionResult result() {
      return result;
    }
  }

  private final ToolSpec spec;
  private final ToolExecutor executor;
  private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();

  public LangChain4jTool(ToolSpec spec, ToolExecutor executor) {
    this.spec = spec;
    this.executor = executor;
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  /** Registers what the call will need; returns the key to {@link #forget} it with. */
  public String remember(String runId, String callId, Pending pending) {
    String key = runId + '/' + callId;
    inFlight.put(key, pending);
    return key;
  }

  /** Forgets a call that has ended. */
  public void forget(String key) {
    inFlight.remove(key);
  }

  @Override
  public ToolExecutionResult call(JsonNode arguments, ToolContext context) throws Exception {
    Pending pending = inFlight.get(context.runId() + '/' + context.callId());
    if (pending == null) {
      // not made by the adapter (a preload of the result cache, or a direct Parallax call): the
      // request is rebuilt from the arguments, and there is no LangChain4j invocation context
      pending =
          new Pending(
              ToolExecutionRequest.builder()
                  .id(context.callId())
                  .name(spec.name())
                  .arguments(arguments.toString())
                  .build(),
              null);
    }
    ToolExecutionResult result;
    try {
      result = executor.executeWithContext(pending.request(), pending.context());
    } catch (ToolExecutionException e) {
      throw unwrap(e);
    } catch (ToolArgumentsException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidArgumentsException(
          context.callId(), spec.name(), null, String.valueOf(cause.getMessage()), e);
    }
    if (result == null) {
      throw new IllegalStateException("tool '" + spec.name() + "' returned no result");
    }
    if (result.isError()) {
      throw new ReportedError(spec.name(), result);
    }
    return new JsonViewResult(result);
  }

  /**
   * LangChain4j's result, whose JSON form (Jackson) is the tool method's own return value rather
   * than the result object's one bean property ({@code {"error":false}}): preloading in the result
   * cache learns from results as JSON (an id in one call's result that the next call takes).
   */
  public static final class JsonViewResult extends ToolExecutionResult {
    JsonViewResult(ToolExecutionResult result) {
      super(result.toBuilder());
    }

    /** The tool's return value, else the result's text. */
    @JsonValue
    public @Nullable Object json() {
      Object value = result();
      return value != null ? value : resultText();
    }
  }

  private static Exception unwrap(ToolExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof Exception exception) {
      return exception;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return e;
  }

  @Override
  public Map<String, Double> features(JsonNode input) {
    return ArgumentFeatures.of(input);
  }

  @Override
  public String toString() {
    return "LangChain4jTool[" + spec.name() + "]";
  }
}
