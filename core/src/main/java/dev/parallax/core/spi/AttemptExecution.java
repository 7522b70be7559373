package dev.parallax.core.spi;

import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.TimeSource;
import dev.parallax.core.tool.Tool;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a call, handed to a {@link CallRunner}. Report its end exactly once, also when the
 * attempt was cancelled: until then it holds a concurrency slot. Later reports are ignored.
 */
public interface AttemptExecution {

  /** The call. */
  PendingCall call();

  /**
   * The tool this attempt runs: {@code call().tool()}, except for a hedge on an alternative tool
   * (see {@link dev.parallax.core.policy.HedgePolicy}). A runner that runs tools itself must run
   * this one.
   */
  default Tool<?, ?> runsTool() {
    return call().tool();
  }

  /** Whether this attempt is a hedge, started beside a slow first attempt of the same call. */
  default boolean isHedge() {
    return false;
  }

  /** The attempt number, from 1. */
  int attempt();

  /** Runs the tool on the current thread, in the call's trace context, and reports the outcome. */
  void runHere();

  /**
   * Reports an outcome without running the tool (for simulators).
   *
   * @param value the tool's value when {@code error} is {@code null}
   * @param error what the tool threw, or {@code null} for success
   */
  void complete(@Nullable Object value, @Nullable Throwable error);

  /**
   * Completes the attempt after {@code delay} of {@code time} with the given outcome, for
   * simulators. The handle cancels that and reports the attempt ended at once with a {@link
   * CancellationException}: a simulated body stops as soon as it is told to.
   */
  default Cancellable completeAfter(
      TimeSource time, Duration delay, @Nullable Object value, @Nullable Throwable error) {
    Cancellable end = time.schedule(delay, () -> complete(value, error));
    return () -> {
      end.cancel();
      complete(null, new CancellationException("cancelled"));
    };
  }
}
