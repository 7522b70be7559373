package dev.parallax.core.policy;

import dev.parallax.core.internal.Durations;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * When and how soon a failed attempt is tried again.
 *
 * <p>An attempt is retried only if all of these hold: attempts are left ({@link
 * Builder#maxAttempts}), the classifier calls the error retryable ({@link Builder#retryOn}), and
 * the tool is declared idempotent or the policy allows non-idempotent tools ({@link
 * Builder#retryNonIdempotent}). Errors ({@link Error}) are never retryable by default.
 *
 * <p>The delay before attempt {@code n+1} is {@code min(maxDelay, initialDelay *
 * multiplier^(n-1))}, then spread by jitter: multiplied by a uniform random factor in {@code [1 -
 * jitter, 1 + jitter]} and capped at {@code maxDelay} again.
 *
 * <p>Immutable and thread-safe. The builder is not thread-safe.
 */
public final class RetryPolicy {

  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialDelay;
  private final double multiplier;
  private final Duration maxDelay;
  private final double jitter;
  private final Predicate<Throwable> retryOn;
  private final boolean retryNonIdempotent;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialDelay = b.initialDelay;
    this.multiplier = b.multiplier;
    this.maxDelay = b.maxDelay;
    this.jitter = b.jitter;
    this.retryOn = b.retryOn;
    this.retryNonIdempotent = b.retryNonIdempotent;
  }

  /** No retries: every call has one attempt. The executor's default. */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * Three attempts, 100 ms initial delay doubling up to 10 s, 20% jitter, any {@link Exception}
   * retryable, idempotent tools only.
   */
  public static RetryPolicy ofDefaults() {
    return builder().build();
  }

  /** Starts from the defaults of {@link #ofDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Maximum attempts per call, including the first. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Whether a call whose attempt number {@code attempt} failed with {@code error} should be tried
   * again. Never for an {@link dev.parallax.core.tool.InvalidArgumentsException}: the same
   * arguments fail the same way.
   */
  public boolean shouldRetry(int attempt, Throwable error, ToolSpec tool) {
    return attempt < maxAttempts
        && !(error instanceof dev.parallax.core.tool.InvalidArgumentsException)
        && (tool.idempotent() || retryNonIdempotent)
        && retryOn.test(error);
  }

  /**
   * The delay before attempt {@code attempt + 1}, given a uniform random number in {@code [0, 1)}.
   */
  public Duration delayAfter(int attempt, double random) {
    double max = Durations.toNanosSaturated(maxDelay);
    double base =
        Math.min(Durations.toNanosSaturated(initialDelay) * Math.pow(multiplier, attempt - 1), max);
    if (base >= Long.MAX_VALUE) {
      return Duration.ofNanos(Long.MAX_VALUE); // "never": jitter must not bring it within reach
    }
    double capped = Math.min(base * (1 + jitter * (2 * random - 1)), max);
    return Duration.ofNanos((long) Math.max(0, capped)); // (long) saturates at Long.MAX_VALUE
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", initialDelay="
        + initialDelay
        + ", multiplier="
        + multiplier
        + ", maxDelay="
        + maxDelay
        + ", jitter="
        + jitter
        + ", retryNonIdempotent="
        + retryNonIdempotent
        + "]";
  }

  /** Builds a {@link RetryPolicy}; not thread-safe. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialDelay = Duration.ofMillis(100);
    private double multiplier = 2.0;
    private Duration maxDelay = Duration.ofSeconds(10);
    private double jitter = 0.2;
    private Predicate<Throwable> retryOn = error -> error instanceof Exception;
    private boolean retryNonIdempotent;

    private Builder() {}

    /**
     * Maximum attempts per call, including the first (1 = no retries).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The delay before the second attempt. A delay too long to count in nanoseconds (such as {@code
     * Duration.ofSeconds(Long.MAX_VALUE)}) can never fall due: calls are then not retried.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = nonNegative("initialDelay", initialDelay);
      return this;
    }

    /**
     * The factor by which the delay grows after each attempt.
     *
     * @throws IllegalArgumentException if below 1 or not finite
     */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /**
     * The longest delay between attempts; {@code Duration.ofSeconds(Long.MAX_VALUE)} means no cap.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = nonNegative("maxDelay", maxDelay);
      return this;
    }

    /**
     * The spread of the delays, as a fraction in {@code [0, 1]}: 0.2 means +/-20%.
     *
     * @throws IllegalArgumentException if outside {@code [0, 1]}
     */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * Which errors are worth another attempt (default: any {@link Exception}, no {@link Error}).
     */
    public Builder retryOn(Predicate<Throwable> classifier) {
      this.retryOn = Objects.requireNonNull(classifier, "classifier");
      return this;
    }

    /** Retry tools that are not declared idempotent too (default {@code false}). */
    public Builder retryNonIdempotent(boolean retryNonIdempotent) {
      this.retryNonIdempotent = retryNonIdempotent;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalStateException if the initial delay exceeds the maximum delay
     */
    public RetryPolicy build() {
      if (initialDelay.compareTo(maxDelay) > 0) {
        throw new IllegalStateException(
            "initialDelay " + initialDelay + " exceeds maxDelay " + maxDelay);
      }
      return new RetryPolicy(this);
    }

    private static Duration nonNegative(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative, was " + value);
      }
      return value;
    }
  }
}
