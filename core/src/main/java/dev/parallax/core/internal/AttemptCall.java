package dev.parallax.core.internal;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.tool.Tool;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The call as one attempt runs it, for the result cache: the attempt's own tool, fixed, whatever
 * the run thread does to the call meanwhile (a hedge swaps the call's tool for a moment, a fallback
 * for good). Handing the cache the live call let an attempt of one tool read another tool's name
 * and store its value under that tool's key.
 *
 * @param node the call
 * @param tool the tool this attempt runs
 */
record AttemptCall(PendingCall node, Tool<?, ?> tool) implements PendingCall {

  @Override
  public String runId() {
    return node.runId();
  }

  @Override
  public int index() {
    return node.index();
  }

  @Override
  public ToolCall<?, ?> call() {
    return node.call();
  }

  @Override
  public List<String> dependsOn() {
    return node.dependsOn();
  }

  @Override
  public int attempt() {
    return node.attempt();
  }

  @Override
  public @Nullable Prediction prediction() {
    return node.prediction();
  }

  @Override
  public String toString() {
    return node.toString();
  }
}
