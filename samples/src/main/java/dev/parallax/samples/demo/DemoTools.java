package dev.parallax.samples.demo;

import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tools for demonstrations. Their latency is the point of the demos, so they sleep (which also
 * makes them honour interruption, like a well-behaved I/O tool).
 */
public final class DemoTools {

  private DemoTools() {}

  /** A tool that takes {@code latency} and answers with its name and input. */
  public static Tool<Object, String> sleeping(String name, Duration latency) {
    return Tools.named(name)
        .description("waits " + latency.toMillis() + " ms, like a remote call")
        .idempotent(true)
        .input(Object.class)
        .function(
            (input, ctx) -> {
              Thread.sleep(latency);
              return name + "(" + input + ") done";
            });
  }

  /** A tool that always fails with the given message. */
  public static Tool<Object, String> failing(String name, String message) {
    return Tools.named(name)
        .description("always fails")
        .input(Object.class)
        .function(
            (input, ctx) -> {
              Thread.sleep(Duration.ofMillis(20));
              throw new IllegalStateException(message);
            });
  }

  /** An idempotent tool that fails its first {@code failures} attempts of each call. */
  public static Tool<Object, String> flaky(String name, int failures, AtomicInteger attempts) {
    return Tools.named(name)
        .description("fails " + failures + " times, then succeeds")
        .idempotent(true)
        .input(Object.class)
        .function(
            (input, ctx) -> {
              attempts.incrementAndGet();
              Thread.sleep(Duration.ofMillis(20));
              if (ctx.attempt() <= failures) {
                throw new java.io.IOException("temporary failure on attempt " + ctx.attempt());
              }
              return name + " succeeded on attempt " + ctx.attempt();
            });
  }
}
