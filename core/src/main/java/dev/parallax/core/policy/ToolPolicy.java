package dev.parallax.core.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * How the calls of one tool, or of every tool declaring one {@linkplain
 * dev.parallax.core.tool.ToolSpec#capabilities() capability}, are run: their retry policy, the time
 * limit of each attempt, and how many of them may run at once within a run. Given to {@link
 * dev.parallax.core.exec.ToolExecutor.Builder#toolPolicy} or {@link
 * dev.parallax.core.exec.ToolExecutor.Builder#capabilityPolicy}.
 *
 * <pre>{@code
 * ToolExecutor.builder()
 *     .attemptTimeout(Duration.ofSeconds(30))            // the executor's default
 *     .capabilityPolicy("web", ToolPolicy.builder()
 *         .attemptTimeout(Duration.ofSeconds(5))
 *         .retry(RetryPolicy.ofDefaults())
 *         .build())
 *     .toolPolicy("search", ToolPolicy.builder().maxConcurrency(4).build())
 *     .build();
 * }</pre>
 *
 * <p><b>Precedence, option by option.</b> An option a policy does not set is inherited: a tool's
 * own policy overrides the policies of its capabilities, which override the executor's defaults
 * ({@code retryPolicy}, {@code attemptTimeout}, no per-tool limit). In the example {@code search}
 * (capability {@code web}) gets at most 4 calls at once, a 5 s attempt timeout and the default
 * retries. When two capabilities of one tool both set an option to different values, the tool's
 * policy must decide: a run using such a tool is rejected (see {@code toolPolicy}).
 *
 * <p><b>What the options mean.</b> The retry policy decides after each failed attempt on this tool;
 * after a fallback the alternative tool's own policy applies, its attempts counted from one. The
 * attempt timeout bounds each attempt, never beyond the run's deadline. The concurrency limit
 * counts the calls of this tool running within one run (like {@code toolConcurrency}); a
 * capability's limit applies to each of its tools separately, not to the capability as a pool. A
 * tool that is not concurrency-safe runs one call at a time whatever its limit.
 *
 * <p>Immutable and thread-safe. The builder is not thread-safe.
 */
public final class ToolPolicy {

  private static final ToolPolicy DEFAULTS = builder().build();

  private final @Nullable RetryPolicy retry;
  private final @Nullable Duration attemptTimeout;
  private final int maxConcurrency; // 0: not set

  private ToolPolicy(Builder b) {
    this.retry = b.retry;
    this.attemptTimeout = b.attemptTimeout;
    this.maxConcurrency = b.maxConcurrency;
  }

  /** A policy that sets nothing: every option is inherited. */
  public static ToolPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** Starts a builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.retry = retry;
    b.attemptTimeout = attemptTimeout;
    b.maxConcurrency = maxConcurrency;
    return b;
  }

  /** The retry policy, if this policy sets one. */
  public Optional<RetryPolicy> retry() {
    return Optional.ofNullable(retry);
  }

  /**
   * The time limit of each attempt, if this policy sets one; {@code
   * Duration.ofSeconds(Long.MAX_VALUE)} means no limit.
   */
  public Optional<Duration> attemptTimeout() {
    return Optional.ofNullable(attemptTimeout);
  }

  /**
   * Most calls of the tool running at once within a run, if this policy sets it; {@link
   * Integer#MAX_VALUE} means no limit of its own.
   */
  public OptionalInt maxConcurrency() {
    return maxConcurrency == 0 ? OptionalInt.empty() : OptionalInt.of(maxConcurrency);
  }

  /** Whether this policy sets no option at all. */
  public boolean isEmpty() {
    return retry == null && attemptTimeout == null && maxConcurrency == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToolPolicy p
        && Objects.equals(retry, p.retry)
        && Objects.equals(attemptTimeout, p.attemptTimeout)
        && maxConcurrency == p.maxConcurrency;
  }

  @Override
  public int hashCode() {
    return Objects.hash(retry, attemptTimeout, maxConcurrency);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ToolPolicy[");
    String sep = "";
    if (retry != null) {
      s.append("retry=").append(retry);
      sep = ", ";
    }
    if (attemptTimeout != null) {
      s.append(sep).append("attemptTimeout=").append(attemptTimeout);
      sep = ", ";
    }
    if (maxConcurrency != 0) {
      s.append(sep).append("maxConcurrency=").append(maxConcurrency);
    }
    return s.append(']').toString();
  }

  /**
   * Builds a {@link ToolPolicy}; options not set are inherited. Not thread-safe. Every setter
   * validates its value and shows it in the exception.
   */
  public static final class Builder {
    private @Nullable RetryPolicy retry;
    private @Nullable Duration attemptTimeout;
    private int maxConcurrency;

    private Builder() {}

    /** When failed attempts of the tool are retried; {@link RetryPolicy#none()} for never. */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /**
     * Time limit of each attempt of the tool; {@code Duration.ofSeconds(Long.MAX_VALUE)} means no
     * limit (overriding an inherited one).
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder attemptTimeout(Duration attemptTimeout) {
      Objects.requireNonNull(attemptTimeout, "attemptTimeout");
      if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
        throw new IllegalArgumentException(
            "attemptTimeout must be positive, was " + attemptTimeout);
      }
      this.attemptTimeout = attemptTimeout;
      return this;
    }

    /**
     * Most calls of the tool running at once within a run; {@link Integer#MAX_VALUE} means no limit
     * of its own (overriding an inherited one).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("maxConcurrency must be >= 1, was " + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /** Builds the policy. */
    public ToolPolicy build() {
      return new ToolPolicy(this);
    }
  }
}
