package dev.parallax.core.spi;

import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.tool.Tool;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What runs instead of an unhealthy or failing tool. An alternative must accept the same input as
 * the tool it replaces. The default never swaps. Called from the run's serialized events: it must
 * be quick, must not block, and must be thread-safe when shared by concurrent runs.
 */
public interface FallbackPolicy {

  /** Never swaps a tool. */
  FallbackPolicy NONE = new FallbackPolicy() {};

  /**
   * A swap to another tool, with the reason shown on the call's result and span.
   *
   * @param tool the tool to run instead
   * @param reason why, in a few words (for example {@code predicted success 0.42 < 0.60})
   */
  record Swap(Tool<?, ?> tool, String reason) {
    /** Checks the fields. */
    public Swap {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A swap to use instead of the call's own tool before its first attempt, or {@code null}. */
  default @Nullable Swap replaceBeforeStart(PendingCall call) {
    return null;
  }

  /**
   * A tool to try after {@code call}'s tool failed its last attempt with {@code error}, or {@code
   * null} to let the call fail.
   *
   * @param tried names of the tools already tried for this call, in order
   */
  default @Nullable Swap alternativeAfterFailure(
      PendingCall call, Throwable error, List<String> tried) {
    return null;
  }

  /**
   * A healthy alternative to run as the hedge of {@code call} (see {@link
   * dev.parallax.core.policy.HedgePolicy}), whose first attempt on {@code call.tool()} is still
   * running; {@code null} (the default) hedges with the same tool. The alternative must be
   * idempotent too, or the hedge runs the same tool.
   */
  default @Nullable Swap alternativeForHedge(PendingCall call) {
    return null;
  }

  /**
   * Where this policy learns how calls end (for example to open a circuit breaker on a failing
   * tool), or {@code null} if it decides from the call and its prediction alone (the default).
   *
   * <p>The executor asks once, when it is built, and registers the listener returned with its own
   * listeners: it receives every lifecycle event of every run, with the same guarantees and
   * isolation as any {@link ExecutionListener} (whatever it throws is logged and ignored). So a
   * policy is wired by being set as the fallback, nothing more; do not register the listener again.
   */
  default @Nullable ExecutionListener feedback() {
    return null;
  }
}
