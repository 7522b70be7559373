package dev.parallax.planner.fallback;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Locale;

/**
 * The health of one tool as its circuit breaker in {@link ToolFallbacks} saw it at one moment: the
 * circuit's state and the outcomes it counts. A snapshot: it does not change afterwards; ask {@link
 * ToolFallbacks#health(String)} again for a newer one. Immutable, thread-safe.
 */
public final class ToolHealth {

  /** The state of a tool's circuit. */
  public enum State {
    /** Calls run on the tool; outcomes are counted. */
    CLOSED,
    /** Too many recent failures: calls swap to an alternative until the wait is over. */
    OPEN,
    /** After the wait: a few trial calls run on the tool, the others swap. */
    HALF_OPEN,
    /** Opened by {@link ToolFallbacks#forceOpen} until {@link ToolFallbacks#reset}. */
    FORCED_OPEN,
    /** Not guarding the tool: every call runs on it, outcomes are not counted. */
    DISABLED,
    /** Not guarding the tool: every call runs on it, outcomes are counted. */
    METRICS_ONLY
  }

  private final String tool;
  private final State state;
  private final float failureRate;
  private final int failedCalls;
  private final int successfulCalls;
  private final long notPermittedCalls;

  private ToolHealth(
      String tool,
      State state,
      float failureRate,
      int failedCalls,
      int successfulCalls,
      long notPermittedCalls) {
    this.tool = tool;
    this.state = state;
    this.failureRate = failureRate;
    this.failedCalls = failedCalls;
    this.successfulCalls = successfulCalls;
    this.notPermittedCalls = notPermittedCalls;
  }

  static ToolHealth of(CircuitBreaker breaker) {
    CircuitBreaker.Metrics m = breaker.getMetrics();
    return new ToolHealth(
        breaker.getName(),
        State.valueOf(breaker.getState().name()),
        m.getFailureRate(),
        m.getNumberOfFailedCalls(),
        m.getNumberOfSuccessfulCalls(),
        m.getNumberOfNotPermittedCalls());
  }

  /** The tool's name. */
  public String tool() {
    return tool;
  }

  /** The circuit's state. */
  public State state() {
    return state;
  }

  /** Whether calls may run on the tool now without a swap ({@code CLOSED} or not guarded). */
  public boolean available() {
    return state == State.CLOSED || state == State.DISABLED || state == State.METRICS_ONLY;
  }

  /**
   * Failed share of the outcomes in the breaker's window, in percent, or {@code -1} while the
   * window holds fewer outcomes than the breaker's minimum.
   */
  public float failureRate() {
    return failureRate;
  }

  /** Failed attempts in the breaker's window. */
  public int failedCalls() {
    return failedCalls;
  }

  /** Successful calls in the breaker's window. */
  public int successfulCalls() {
    return successfulCalls;
  }

  /** Calls refused by the open circuit since it last closed. */
  public long notPermittedCalls() {
    return notPermittedCalls;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "ToolHealth[%s %s, failureRate=%.1f%%, failed=%d, succeeded=%d, notPermitted=%d]",
        tool,
        state,
        failureRate,
        failedCalls,
        successfulCalls,
        notPermittedCalls);
  }
}
