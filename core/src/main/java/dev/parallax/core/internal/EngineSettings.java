package dev.parallax.core.internal;

import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.spi.RunScheduler;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.core.time.TimeSource;
import dev.parallax.core.trace.ExceptionRecording;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Everything a run needs from its executor. Internal; may change at any time.
 *
 * @param tracer {@code null} when no OpenTelemetry was supplied: no spans, the caller's context is
 *     still carried to the tools
 * @param random thread-safe source of retry jitter
 * @param exceptionRecording what of a failed call's exception goes onto its span
 * @param policies retry policy, attempt timeout and concurrency limit by tool: the executor's
 *     defaults and the tool and capability policies over them
 * @param records where the records of attempts and calls go
 * @param runScheduler the cross-run share of the executor; {@link RunScheduler#NONE} for none
 * @param customAdmission the user's own admission control, already part of {@code admission}; kept
 *     apart so a run with a shared scheduler can put the scheduler between the fixed limits and it
 * @param hedging the executor's hedging state; {@code null} when calls are not hedged
 */
public record EngineSettings(
    TimeSource time,
    CallRunner runner,
    SchedulingPolicy scheduling,
    AdmissionControl admission,
    ResultCache cache,
    FallbackPolicy fallback,
    Predictor predictor,
    List<ExecutionListener> listeners,
    @Nullable Tracer tracer,
    boolean recordPayloads,
    ToolPolicies policies,
    @Nullable Duration runDeadline,
    FailureMode failureMode,
    int maxConcurrency,
    RandomGenerator random,
    ExceptionRecording exceptionRecording,
    RecordSinks records,
    RunScheduler runScheduler,
    @Nullable AdmissionControl customAdmission,
    @Nullable HedgeBudget hedging) {

  /**
   * Runs the engine's out-of-memory path once before it is needed (see {@code FailurePaths});
   * called when the executor class loads.
   */
  public static void warmFailurePaths() {
    FailurePaths.warm();
  }
}
