package dev.parallax.core.internal;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.tool.Tool;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A call as it was when an attempt of another tool ran: what admission is told when a given-up
 * attempt's body returns after the call has moved on to a fallback tool. Internal.
 */
record ToolSwappedView(PendingCall pending, Tool<?, ?> tool) implements PendingCall {

  @Override
  public String runId() {
    return pending.runId();
  }

  @Override
  public int index() {
    return pending.index();
  }

  @Override
  public ToolCall<?, ?> call() {
    return pending.call();
  }

  @Override
  public List<String> dependsOn() {
    return pending.dependsOn();
  }

  @Override
  public int attempt() {
    return pending.attempt();
  }

  @Override
  public @Nullable Prediction prediction() {
    return pending.prediction();
  }
}
