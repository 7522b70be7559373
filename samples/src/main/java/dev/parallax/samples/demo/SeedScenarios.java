package dev.parallax.samples.demo;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.tool.Tool;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The six scenarios of the design Parallax started from, run for real: basic parallel, sequential
 * vs parallel, concurrency limits, error handling, retry and timeout. Each prints what happened and
 * the times measured on this machine.
 */
public final class SeedScenarios {

  private static final Duration MS_100 = Duration.ofMillis(100);

  private final PrintWriter out;

  /** Prints to {@code out}. */
  public SeedScenarios(PrintWriter out) {
    this.out = out;
  }

  /**
   * Runs all six scenarios, after a silent warm-up so the first one is not timing class loading.
   */
  public void runAll() {
    warmUp();
    basicParallel();
    sequentialVsParallel();
    concurrencyLimits();
    errorHandling();
    retry();
    timeout();
  }

  private void warmUp() {
    Tool<Object, String> quick = DemoTools.sleeping("warm_up", Duration.ofMillis(1));
    try (ToolExecutor executor = ToolExecutor.builder().attemptTimeout(MS_100).build()) {
      for (int i = 0; i < 20; i++) {
        executor.executeParallel(calls(quick, 8));
        executor.executeSequential(calls(quick, 2));
      }
    }
  }

  void basicParallel() {
    header(1, "Basic parallel execution");
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      RunResult run =
          executor.executeParallel(
              List.of(
                  ToolCall.of("call1", DemoTools.sleeping("search", Duration.ofMillis(100)), "web"),
                  ToolCall.of(
                      "call2", DemoTools.sleeping("calculate", Duration.ofMillis(80)), "2+2"),
                  ToolCall.of(
                      "call3", DemoTools.sleeping("translate", Duration.ofMillis(120)), "hola")));
      out.printf(
          Locale.ROOT,
          "Execution completed in %s (the slowest tool takes 120 ms)%n",
          ms(run.report().elapsed()));
      for (CallResult<?> r : run.results()) {
        out.printf(
            Locale.ROOT,
            "  [%s] %s: %s (took %s)%n",
            r.callId(),
            r.status(),
            r.value(),
            ms(r.runTime()));
      }
    }
  }

  void sequentialVsParallel() {
    header(2, "Sequential vs parallel");
    Tool<Object, String> tool = DemoTools.sleeping("work", MS_100);
    List<ToolCall<?, ?>> calls = calls(tool, 4);
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      Duration sequential = executor.executeSequential(calls).report().elapsed();
      Duration parallel = executor.executeParallel(calls).report().elapsed();
      out.printf(Locale.ROOT, "Sequential execution: %s%n", ms(sequential));
      out.printf(Locale.ROOT, "Parallel execution:   %s%n", ms(parallel));
      out.printf(
          Locale.ROOT, "Speedup: %.2fx%n", (double) sequential.toNanos() / parallel.toNanos());
    }
  }

  void concurrencyLimits() {
    header(3, "Concurrency limit");
    Tool<Object, String> tool = DemoTools.sleeping("work", MS_100);
    for (int limit : new int[] {2, 5, 10}) {
      try (ToolExecutor executor = ToolExecutor.builder().maxConcurrency(limit).build()) {
        Duration elapsed = executor.executeParallel(calls(tool, 10)).report().elapsed();
        out.printf(
            Locale.ROOT,
            "Concurrency %2d: 10 tools of 100 ms completed in %s (%.2f tool-durations)%n",
            limit,
            ms(elapsed),
            elapsed.toNanos() / (double) MS_100.toNanos());
      }
    }
  }

  void errorHandling() {
    header(4, "Error handling");
    Tool<Object, String> ok = DemoTools.sleeping("ok_tool", Duration.ofMillis(50));
    Tool<Object, String> bad = DemoTools.failing("fail_tool", "This tool will fail");
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      RunResult run =
          executor.executeParallel(
              List.of(
                  ToolCall.of("call1", ok, 1),
                  ToolCall.of("call2", bad, 2),
                  ToolCall.of("call3", ok, 3),
                  ToolCall.of("call4", bad, 4)));
      out.printf(Locale.ROOT, "Total: %d tools, %s%n", run.results().size(), run.report());
      for (CallResult<?> r : run.results()) {
        out.printf(
            Locale.ROOT,
            "  [%s] %s%n",
            r.callId(),
            r.isSuccess() ? "✓ " + r.value() : "✗ " + r.status() + ": " + r.error().getMessage());
      }
    }
  }

  void retry() {
    header(5, "Retry policy");
    AtomicInteger attempts = new AtomicInteger();
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(3)
            .initialDelay(Duration.ofMillis(50))
            .multiplier(2)
            .build();
    try (ToolExecutor executor = ToolExecutor.builder().retryPolicy(policy).build()) {
      RunResult run =
          executor.executeParallel(
              List.of(ToolCall.of("call1", DemoTools.flaky("flaky", 2, attempts), "x")));
      CallResult<?> r = run.get("call1");
      out.printf(
          Locale.ROOT,
          "Execution took %s (3 attempts of 20 ms, back-off of ~50 and ~100 ms)%n",
          ms(run.report().elapsed()));
      out.printf(
          Locale.ROOT,
          "  [%s] %s after %d attempts: %s%n",
          r.callId(),
          r.status(),
          r.attempts(),
          r.value());
    }
  }

  void timeout() {
    header(6, "Timeout handling");
    try (ToolExecutor executor = ToolExecutor.builder().attemptTimeout(MS_100).build()) {
      RunResult run =
          executor.executeParallel(
              List.of(
                  ToolCall.of("call1", DemoTools.sleeping("fast_tool", Duration.ofMillis(50)), 1),
                  ToolCall.of("call2", DemoTools.sleeping("slow_tool", Duration.ofSeconds(5)), 2)));
      for (CallResult<?> r : run.results()) {
        out.printf(
            Locale.ROOT,
            "  [%s] %s in %s%s%n",
            r.callId(),
            r.status(),
            ms(r.runTime()),
            r.isSuccess() ? "" : ": " + r.error().getMessage());
      }
      out.printf(
          Locale.ROOT,
          "The run ended after %s, not after the slow tool's 5 s%n",
          ms(run.report().elapsed()));
    }
  }

  private void header(int number, String title) {
    out.printf(Locale.ROOT, "%n--- Demo %d: %s ---%n", number, title);
    out.flush();
  }

  private static List<ToolCall<?, ?>> calls(Tool<Object, String> tool, int count) {
    List<ToolCall<?, ?>> calls = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      calls.add(ToolCall.of("call" + i, tool, i));
    }
    return calls;
  }

  static String ms(Duration d) {
    return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }
}
