package dev.parallax.core.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The final result of one call. Immutable.
 *
 * @param callId the call's id
 * @param tool the name of the tool that produced this result (after a fallback, the alternative)
 * @param status how the call ended
 * @param value what the tool returned; {@code null} unless {@code SUCCEEDED} (and may be {@code
 *     null} then too)
 * @param error why the call did not succeed; {@code null} when {@code SUCCEEDED}
 * @param attempts how many times a tool was started for this call (0 if it never started)
 * @param queuedAt when the call became ready to run
 * @param startedAt when its first attempt started, or {@code null} if it never started
 * @param finishedAt when the result became final
 * @param fallbackFrom the tool originally called when another one answered, else {@code null}
 * @param fallbackReason why the last swap to another tool happened, else {@code null}
 * @param cacheHit whether the value came from the result cache
 * @param <O> the tool's output type
 */
public record CallResult<O>(
    String callId,
    String tool,
    CallStatus status,
    @Nullable O value,
    @Nullable Throwable error,
    int attempts,
    Instant queuedAt,
    @Nullable Instant startedAt,
    Instant finishedAt,
    @Nullable String fallbackFrom,
    @Nullable String fallbackReason,
    boolean cacheHit) {

  /** Checks that the fields agree with each other. */
  public CallResult {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(status, "status");
    if (status.isSuccess() ? error != null : error == null) {
      throw new IllegalArgumentException(
          "call "
              + callId
              + ": a "
              + status
              + " result "
              + (status.isSuccess() ? "has" : "lacks")
              + " an error");
    }
  }

  /** Whether the call succeeded. */
  public boolean isSuccess() {
    return status.isSuccess();
  }

  /** The value, if the call succeeded with a non-null value. */
  public Optional<O> valueIfPresent() {
    return Optional.ofNullable(value);
  }

  /**
   * The value of a successful call.
   *
   * @throws IllegalStateException with the error as cause if the call did not succeed
   */
  public @Nullable O valueOrThrow() {
    if (!isSuccess()) {
      throw new IllegalStateException("call " + callId + " (" + tool + ") " + status, error);
    }
    return value;
  }

  /** Time from becoming ready to its first start (or to the end, if it never started). */
  public Duration queueWait() {
    return Duration.between(queuedAt, startedAt != null ? startedAt : finishedAt);
  }

  /** Time from its first start to the end, zero if it never started. */
  public Duration runTime() {
    return startedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
  }
}
