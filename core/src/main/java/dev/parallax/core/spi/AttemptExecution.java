package dev.parallax.core.spi;

import org.jspecify.annotations.Nullable;

/** One attempt of a call, handed to a {@link CallRunner}. Report its end exactly once. */
public interface AttemptExecution {

  /** The call. */
  PendingCall call();

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
}
