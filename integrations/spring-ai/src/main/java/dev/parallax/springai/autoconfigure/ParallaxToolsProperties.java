package dev.parallax.springai.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code parallax.tools.*} properties: how Spring AI's tool calls run through Parallax. Every
 * setter checks its value, so a bad value stops the application at startup with a message naming
 * the property and the value.
 *
 * <pre>
 * parallax.tools.max-concurrency=8
 * parallax.tools.attempt-timeout=20s
 * parallax.tools.run-deadline=60s
 * parallax.tools.retry.max-attempts=3
 * parallax.tools.tool.weather.idempotent=true
 * parallax.tools.tool.weather.cacheable=true
 * parallax.tools.tool.weather.attempt-timeout=5s
 * parallax.tools.tool.weather.max-concurrency=2
 * </pre>
 */
@ConfigurationProperties(prefix = ParallaxToolsProperties.PREFIX)
public class ParallaxToolsProperties {

  /** The prefix of these properties. */
  public static final String PREFIX = "parallax.tools";

  /** Whether Spring AI's tool calls run through Parallax. */
  private boolean enabled = true;

  /** Most tool calls of one assistant message running at once. */
  private int maxConcurrency = 64;

  /** Time limit of each attempt of a tool call (default: none). */
  private @Nullable Duration attemptTimeout;

  /**
   * Time limit of all the tool calls of one assistant message (default: none). Calls still running
   * then end timed out; calls not started end cancelled.
   */
  private @Nullable Duration runDeadline;

  /** When failed attempts of idempotent tools are retried. */
  private final Retry retry = new Retry();

  /** Settings of single tools, by tool name. */
  private final Map<String, ToolSettings> tool = new LinkedHashMap<>();

  /** Whether Spring AI's tool calls run through Parallax (default {@code true}). */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether Spring AI's tool calls run through Parallax. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Most tool calls of one assistant message running at once (default 64). */
  public int getMaxConcurrency() {
    return maxConcurrency;
  }

  /**
   * Sets the most tool calls of one assistant message running at once.
   *
   * @throws IllegalArgumentException if below 1
   */
  public void setMaxConcurrency(int maxConcurrency) {
    this.maxConcurrency = atLeastOne(PREFIX + ".max-concurrency", maxConcurrency);
  }

  /** Time limit of each attempt, or {@code null} for none (the default). */
  public @Nullable Duration getAttemptTimeout() {
    return attemptTimeout;
  }

  /**
   * Sets the time limit of each attempt.
   *
   * @throws IllegalArgumentException if zero or negative
   */
  public void setAttemptTimeout(@Nullable Duration attemptTimeout) {
    this.attemptTimeout = positive(PREFIX + ".attempt-timeout", attemptTimeout);
  }

  /** Time limit of the calls of one assistant message, or {@code null} for none (the default). */
  public @Nullable Duration getRunDeadline() {
    return runDeadline;
  }

  /**
   * Sets the time limit of the calls of one assistant message.
   *
   * @throws IllegalArgumentException if zero or negative
   */
  public void setRunDeadline(@Nullable Duration runDeadline) {
    this.runDeadline = positive(PREFIX + ".run-deadline", runDeadline);
  }

  /** The retry settings. */
  public Retry getRetry() {
    return retry;
  }

  /** Settings of single tools, by tool name (mutable, for binding). */
  public Map<String, ToolSettings> getTool() {
    return tool;
  }

  /**
   * When failed attempts are retried: only for tools declared {@code idempotent}, and only for
   * errors that are {@link Exception}s. With the default of one attempt nothing is retried.
   */
  public static class Retry {

    /** Attempts per call, the first included (1: no retries). */
    private int maxAttempts = 1;

    /** Delay before the first retry. */
    private Duration initialDelay = Duration.ofMillis(100);

    /** Factor by which the delay grows after each retry. */
    private double multiplier = 2.0;

    /** Longest delay between two attempts. */
    private Duration maxDelay = Duration.ofSeconds(10);

    /** Random share of each delay, from 0 to 1. */
    private double jitter = 0.2;

    /** Attempts per call, the first included (default 1: no retries). */
    public int getMaxAttempts() {
      return maxAttempts;
    }

    /**
     * Sets the attempts per call.
     *
     * @throws IllegalArgumentException if below 1
     */
    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = atLeastOne(PREFIX + ".retry.max-attempts", maxAttempts);
    }

    /** Delay before the first retry (default 100 ms). */
    public Duration getInitialDelay() {
      return initialDelay;
    }

    /**
     * Sets the delay before the first retry.
     *
     * @throws IllegalArgumentException if negative
     */
    public void setInitialDelay(Duration initialDelay) {
      this.initialDelay = nonNegative(PREFIX + ".retry.initial-delay", initialDelay);
    }

    /** Factor by which the delay grows (default 2). */
    public double getMultiplier() {
      return multiplier;
    }

    /**
     * Sets the factor by which the delay grows.
     *
     * @throws IllegalArgumentException if below 1 or not finite
     */
    public void setMultiplier(double multiplier) {
      if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException(
            PREFIX + ".retry.multiplier must be >= 1, was " + multiplier);
      }
      this.multiplier = multiplier;
    }

    /** Longest delay between two attempts (default 10 s). */
    public Duration getMaxDelay() {
      return maxDelay;
    }

    /**
     * Sets the longest delay between two attempts.
     *
     * @throws IllegalArgumentException if negative
     */
    public void setMaxDelay(Duration maxDelay) {
      this.maxDelay = nonNegative(PREFIX + ".retry.max-delay", maxDelay);
    }

    /** Random share of each delay (default 0.2). */
    public double getJitter() {
      return jitter;
    }

    /**
     * Sets the random share of each delay.
     *
     * @throws IllegalArgumentException if outside [0, 1]
     */
    public void setJitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException(
            PREFIX + ".retry.jitter must be in [0, 1], was " + jitter);
      }
      this.jitter = jitter;
    }
  }

  /** How the calls of one tool run. */
  public static class ToolSettings {

    /** Whether the tool may be run again after a failed attempt (see the retry settings). */
    private boolean idempotent;

    /** Whether the tool's results may be reused from the executor's result cache. */
    private boolean cacheable;

    /** Time limit of each attempt of this tool (default: the executor's). */
    private @Nullable Duration attemptTimeout;

    /**
     * Most calls of this tool running at once within one message (default: no limit of its own).
     */
    private @Nullable Integer maxConcurrency;

    /** Whether the tool may be retried (default {@code false}). */
    public boolean isIdempotent() {
      return idempotent;
    }

    /** Sets whether the tool may be retried. */
    public void setIdempotent(boolean idempotent) {
      this.idempotent = idempotent;
    }

    /** Whether the tool's results may be reused (default {@code false}). */
    public boolean isCacheable() {
      return cacheable;
    }

    /** Sets whether the tool's results may be reused. */
    public void setCacheable(boolean cacheable) {
      this.cacheable = cacheable;
    }

    /** Time limit of each attempt of this tool, or {@code null} for the executor's. */
    public @Nullable Duration getAttemptTimeout() {
      return attemptTimeout;
    }

    /**
     * Sets the time limit of each attempt of this tool.
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public void setAttemptTimeout(@Nullable Duration attemptTimeout) {
      this.attemptTimeout = positive("a tool's attempt-timeout", attemptTimeout);
    }

    /** Most calls of this tool at once, or {@code null} for no limit of its own. */
    public @Nullable Integer getMaxConcurrency() {
      return maxConcurrency;
    }

    /**
     * Sets the most calls of this tool at once.
     *
     * @throws IllegalArgumentException if below 1
     */
    public void setMaxConcurrency(@Nullable Integer maxConcurrency) {
      this.maxConcurrency =
          maxConcurrency == null ? null : atLeastOne("a tool's max-concurrency", maxConcurrency);
    }
  }

  private static int atLeastOne(String property, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(property + " must be >= 1, was " + value);
    }
    return value;
  }

  private static @Nullable Duration positive(String property, @Nullable Duration value) {
    if (value != null && (value.isZero() || value.isNegative())) {
      throw new IllegalArgumentException(property + " must be positive, was " + value);
    }
    return value;
  }

  private static Duration nonNegative(String property, Duration value) {
    Objects.requireNonNull(value, property);
    if (value.isNegative()) {
      throw new IllegalArgumentException(property + " must not be negative, was " + value);
    }
    return value;
  }
}
