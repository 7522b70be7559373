package dev.parallax.samples.bench.workload;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tool that sleeps (or does nothing) and counts: how many times its body ran and the most bodies
 * running at once. Thread-safe.
 */
final class CountingTool {

  private final AtomicLong executions = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final Tool<Integer, Integer> tool;

  /**
   * A tool named {@code name} whose body sleeps {@code latency} ({@code ZERO}: returns at once).
   */
  CountingTool(String name, Duration latency) {
    this.tool =
        Tools.named(name)
            .description(
                latency.isZero() ? "does nothing" : "sleeps " + latency.toNanos() / 1000 + " us")
            .idempotent(true)
            .input(Integer.class)
            .function(
                (input, ctx) -> {
                  executions.incrementAndGet();
                  if (latency.isZero()) {
                    return input;
                  }
                  peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                  try {
                    Thread.sleep(latency);
                  } finally {
                    running.decrementAndGet();
                  }
                  return input;
                });
  }

  /** {@code count} calls of this tool, ids {@code call-0...}, inputs {@code 0...}. */
  List<ToolCall<Integer, Integer>> calls(int count) {
    List<ToolCall<Integer, Integer>> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      calls.add(ToolCall.of("call-" + i, tool, i));
    }
    return calls;
  }

  /** Counts one execution of a body that is not this tool's (the bare baseline's tasks). */
  void countExecution() {
    executions.incrementAndGet();
  }

  /** Times the body ran. */
  long executions() {
    return executions.get();
  }

  /** The most bodies running at once so far (sleeping tools only). */
  int peak() {
    return peak.get();
  }

  /** Forgets the peak (after a warm-up). */
  void resetPeak() {
    peak.set(0);
  }
}
