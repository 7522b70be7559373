package dev.parallax.core.internal;

import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Fixed per-tool limits within one run; tools that are not concurrency-safe get a limit of 1. It
 * reads only the name of the tool that ran from a release's sample, so the engine's attempt can be
 * that sample and a release costs no allocation. Internal; may change at any time.
 */
public final class FixedToolLimits implements Admission {

  /** Calls of one limited tool running now, and its limit. */
  private static final class Slots {
    final int limit;
    int running;

    Slots(int limit) {
      this.limit = limit;
    }
  }

  private final ToIntFunction<Tool<?, ?>> limitOf;
  private final boolean anyLimits;
  private final Map<String, Slots> slots = new HashMap<>();

  /**
   * Limits from a function.
   *
   * @param limitOf a tool's limit ({@link Integer#MAX_VALUE} for none; asked once per tool and run)
   * @param anyLimits whether {@code limitOf} may limit a concurrency-safe tool at all
   */
  public FixedToolLimits(ToIntFunction<Tool<?, ?>> limitOf, boolean anyLimits) {
    this.limitOf = limitOf;
    this.anyLimits = anyLimits;
  }

  /** Limits by tool name. */
  public FixedToolLimits(Map<String, Integer> limits) {
    this(tool -> limits.getOrDefault(tool.name(), Integer.MAX_VALUE), !limits.isEmpty());
  }

  @Override
  public boolean tryAcquire(PendingCall call) {
    Tool<?, ?> tool = call.tool();
    if (!anyLimits && tool.spec().concurrencySafe()) {
      return true;
    }
    Slots s = slots.get(tool.name());
    if (s == null) {
      int limit = tool.spec().concurrencySafe() ? limitOf.applyAsInt(tool) : 1;
      if (limit == Integer.MAX_VALUE) {
        return true;
      }
      s = new Slots(limit);
      slots.put(tool.name(), s);
    }
    if (s.running >= s.limit) {
      return false;
    }
    s.running++;
    return true;
  }

  @Override
  public void release(PendingCall call, AttemptSample sample) {
    undo(sample.tool()); // the tool that ran: after a fallback not call.tool()
  }

  /** Gives back a slot of the named tool, taken by {@link #tryAcquire} (no-op if unlimited). */
  void undo(String toolName) {
    if (slots.isEmpty()) {
      return;
    }
    Slots s = slots.get(toolName);
    if (s != null) {
      s.running--;
    }
  }
}
