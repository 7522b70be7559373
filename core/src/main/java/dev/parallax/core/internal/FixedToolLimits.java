package dev.parallax.core.internal;

import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import java.util.HashMap;
import java.util.Map;

/**
 * Fixed per-tool limits within one run; tools that are not concurrency-safe get a limit of 1.
 * Internal; may change at any time.
 */
public final class FixedToolLimits implements Admission {

  private final Map<String, Integer> limits;
  private final Map<String, Integer> running = new HashMap<>();

  /** Limits by tool name. */
  public FixedToolLimits(Map<String, Integer> limits) {
    this.limits = limits;
  }

  @Override
  public boolean tryAcquire(PendingCall call) {
    Tool<?, ?> tool = call.tool();
    int limit = limitOf(tool);
    if (limit == Integer.MAX_VALUE) {
      return true;
    }
    int now = running.getOrDefault(tool.name(), 0);
    if (now >= limit) {
      return false;
    }
    running.put(tool.name(), now + 1);
    return true;
  }

  @Override
  public void release(PendingCall call, AttemptSample sample) {
    release(call.tool());
  }

  /** Releases a slot of the tool; the engine calls this directly, without building a sample. */
  void release(Tool<?, ?> tool) {
    if (limitOf(tool) != Integer.MAX_VALUE) {
      running.merge(tool.name(), -1, Integer::sum);
    }
  }

  private int limitOf(Tool<?, ?> tool) {
    if (!tool.spec().concurrencySafe()) {
      return 1;
    }
    if (limits.isEmpty()) {
      return Integer.MAX_VALUE;
    }
    Integer limit = limits.get(tool.name());
    return limit == null ? Integer.MAX_VALUE : limit;
  }
}
