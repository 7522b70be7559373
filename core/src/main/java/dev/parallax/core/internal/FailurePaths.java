package dev.parallax.core.internal;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.spi.RunScheduler;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.TimeSource;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.core.trace.ExceptionRecording;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs the engine's out-of-memory path once, on two tiny runs, before it can be needed: out of
 * memory, the first call of a method can fail while the JVM links it, and the failure path of a run
 * must not be running for the first time then. No thread is started and nothing is logged.
 * Internal; may change at any time.
 */
final class FailurePaths {

  private FailurePaths() {}

  private static final OutOfMemoryError WARM_UP = new OutOfMemoryError("warm-up, not an error");

  /** Ends one run through an attempt's OutOfMemoryError and one through an event's. */
  static void warm() {
    Tool<Integer, Integer> tool = Tools.named("warm_up").input(Integer.class).function((i, c) -> i);
    ExecutionPlan plan = ExecutionPlan.parallel(List.of(ToolCall.of("warm_up", tool, 0)));
    TimeSource time =
        new TimeSource() {
          @Override
          public Instant now() {
            return Instant.EPOCH;
          }

          @Override
          public long nanoTime() {
            return 0;
          }

          @Override
          public Cancellable schedule(Duration delay, Runnable task) {
            throw WARM_UP; // an event fails with an error of the JVM
          }
        };
    for (Duration timeout : new Duration[] {null, Duration.ofSeconds(1)}) {
      EngineSettings settings =
          new EngineSettings(
              time,
              attempt -> {
                attempt.complete(null, WARM_UP); // an attempt reports running out of memory
                return () -> {};
              },
              SchedulingPolicy.fifo(),
              AdmissionControl.perToolLimits(Map.of()),
              ResultCache.NONE,
              FallbackPolicy.NONE,
              Predictor.NONE,
              List.of(),
              null,
              false,
              ToolPolicies.defaultsOnly(RetryPolicy.none(), timeout),
              null,
              FailureMode.CONTINUE,
              1,
              new SplittableRandom(0),
              ExceptionRecording.ofDefaults(),
              RecordSinks.NONE,
              RunScheduler.NONE,
              null,
              null);
      Run run = new Run("warm-up", settings, plan, () -> {});
      run.start(Context.root());
      run.result().exceptionally(e -> null).join();
    }
  }
}
