package dev.parallax.core.spi;

import dev.parallax.core.internal.FixedToolLimits;
import java.util.Map;

/**
 * Decides how many calls may run at once, beyond the run's own {@code maxConcurrency}. The default
 * applies fixed per-tool limits (from {@code toolConcurrency} and the {@code maxConcurrency} of
 * tool and capability policies, see {@link dev.parallax.core.policy.ToolPolicy}) and runs tools
 * that are not {@link dev.parallax.core.tool.ToolSpec#concurrencySafe() concurrency-safe} one at a
 * time. A custom admission control replaces all of that.
 */
@FunctionalInterface
public interface AdmissionControl {

  /**
   * Fixed limits by tool name, counted within each run; tools not named are limited only by the
   * run's {@code maxConcurrency} (or to 1 if not concurrency-safe).
   */
  static AdmissionControl perToolLimits(Map<String, Integer> limits) {
    Map<String, Integer> copy = Map.copyOf(limits);
    return (runId, capacityAvailable) -> new FixedToolLimits(copy);
  }

  /**
   * Opens the admission of one run.
   *
   * @param runId the run's id
   * @param capacityAvailable to be called when capacity freed elsewhere (for example by another
   *     run) may let a refused call in; the run then offers its refused calls again, soon after and
   *     on another thread, so it may be called from any thread and under any lock
   */
  Admission open(String runId, Runnable capacityAvailable);
}
