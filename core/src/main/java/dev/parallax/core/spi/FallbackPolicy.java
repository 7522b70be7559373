package dev.parallax.core.spi;

import dev.parallax.core.tool.Tool;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What runs instead of an unhealthy or failing tool. An alternative must accept the same input as
 * the tool it replaces. The default never swaps.
 */
public interface FallbackPolicy {

  /** Never swaps a tool. */
  FallbackPolicy NONE = new FallbackPolicy() {};

  /** A tool to use instead of the call's own before its first attempt, or {@code null}. */
  default @Nullable Tool<?, ?> replaceBeforeStart(PendingCall call) {
    return null;
  }

  /**
   * A tool to try after {@code call}'s tool failed its last attempt with {@code error}, or {@code
   * null} to let the call fail.
   *
   * @param tried names of the tools already tried for this call, in order
   */
  default @Nullable Tool<?, ?> alternativeAfterFailure(
      PendingCall call, Throwable error, List<String> tried) {
    return null;
  }
}
