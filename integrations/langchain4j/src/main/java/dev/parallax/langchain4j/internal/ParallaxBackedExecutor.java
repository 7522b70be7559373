package dev.parallax.langchain4j.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.tool.ToolRegistry;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The LangChain4j {@link ToolExecutor} of one Parallax tool: submits each call to its turn's run
 * and waits for its result. A call that does not succeed comes back as an error result for the
 * model; this executor throws only if the Parallax executor is closed or the waiting thread is
 * interrupted (LangChain4j's error handler then decides). Internal; may change at any time.
 */
public final class ParallaxBackedExecutor implements ToolExecutor {

  private final LangChain4jTool tool;
  private final ToolRegistry registry;
  private final Turns turns;

  public ParallaxBackedExecutor(LangChain4jTool tool, ToolRegistry registry, Turns turns) {
    this.tool = tool;
    this.registry = registry;
    this.turns = turns;
  }

  @Override
  public String execute(ToolExecutionRequest request, Object memoryId) {
    ToolExecutionResult result = executeWithContext(request, null);
    return result.resultText();
  }

  @Override
  public ToolExecutionResult executeWithContext(
      ToolExecutionRequest request, @Nullable InvocationContext context) {
    // outside an AI service invocation there is no turn: the call is a run of its own
    Object key =
        context != null && context.invocationId() != null ? context.invocationId() : new Object();
    String arguments = request.arguments() == null ? "{}" : request.arguments();
    String[] pendingKey = new String[1];
    Turns.Submitted submitted;
    try {
      submitted =
          turns.submit(
              key,
              context == null ? null : context.chatMemoryId(),
              request.id() == null ? "" : request.id(),
              (runId, callId) -> {
                ToolCall<?, ?> call = registry.call(callId, tool.name(), arguments);
                pendingKey[0] =
                    tool.remember(runId, callId, new LangChain4jTool.Pending(request, context));
                return call;
              });
    } catch (RuntimeException e) { // rejected by the run (a closed executor): nothing is pending
      if (pendingKey[0] != null) {
        tool.forget(pendingKey[0]);
      }
      throw e;
    }
    if (context == null || context.invocationId() == null) {
      turns.invocationEnded(key);
    }
    try {
      return ResultMessages.toToolResult(await(submitted));
    } finally {
      if (pendingKey[0] != null) {
        tool.forget(pendingKey[0]);
      }
      turns.ended(submitted.turn());
    }
  }

  private static CallResult<?> await(Turns.Submitted submitted) {
    try {
      return submitted.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException(
          "interrupted while waiting for tool call " + submitted.callId());
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "the Parallax run of tool call " + submitted.callId() + " failed", e.getCause());
    }
  }
}
