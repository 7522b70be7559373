package dev.parallax.core.spi;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.tool.Tool;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A call as the seams and listeners see it while its run is under way. Implementations are owned by
 * the executor; the values may change as the run proceeds (attempt, tool after a fallback).
 */
public interface PendingCall {

  /** The run's id. */
  String runId();

  /** The position of the call in its plan, from 0. */
  int index();

  /** The call as submitted. */
  ToolCall<?, ?> call();

  /** The call's id. */
  default String callId() {
    return call().id();
  }

  /** The tool that runs (or ran) the current attempt; differs from the call's after a fallback. */
  Tool<?, ?> tool();

  /** Ids of the calls this call depends on. */
  List<String> dependsOn();

  /** The number of the current or last attempt, 0 before the first. */
  int attempt();

  /** The prediction made for this call when it was queued, or {@code null}. */
  @Nullable Prediction prediction();
}
