package dev.parallax.core.tool;

import dev.parallax.core.call.CallResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * What a running tool can see about its call. One context per attempt; safe to use from the tool's
 * own thread and any thread it starts.
 */
public interface ToolContext {

  /** The id of the run this call belongs to. */
  String runId();

  /** The call's id, unique within its run. */
  String callId();

  /** The attempt number, 1 for the first attempt. */
  int attempt();

  /**
   * The instant by which this attempt must finish (the earlier of the attempt timeout and the run
   * deadline), or {@code null} when there is none.
   */
  @Nullable Instant deadline();

  /** Time left until {@link #deadline()}, or {@code null} when there is no deadline. */
  @Nullable Duration remaining();

  /** Whether this attempt was cancelled, timed out or abandoned because the run stopped. */
  boolean isCancelled();

  /**
   * Throws {@link CancellationException} when {@link #isCancelled()}; call it in long loops.
   *
   * @throws CancellationException if the attempt was cancelled
   */
  default void checkCancelled() {
    if (isCancelled()) {
      throw new CancellationException("call " + callId() + " was cancelled");
    }
  }

  /** Results of the calls this call depends on (graph mode), keyed by call id; else empty. */
  Map<String, CallResult<?>> dependencies();
}
