package dev.parallax.core.trace;

import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What of a failed call's exception goes onto its span (and so into every exporter and trace file).
 * Exception messages and stack traces may hold secrets (a password in a connection string, a token
 * in a URL), so by default a span gets:
 *
 * <ul>
 *   <li>the exception's type ({@code error.type}, and {@code exception.type} on the {@code
 *       exception} event);
 *   <li>its message, passed through the {@linkplain Builder#redactor redactor} (none by default)
 *       and cut to {@value #DEFAULT_MAX_MESSAGE_LENGTH} characters, as the span's status
 *       description and as {@code exception.message};
 *   <li>no stack trace.
 * </ul>
 *
 * If the redactor throws, only the type is recorded. {@link #full()} records the whole message and
 * the stack trace (whose lines hold the messages of the exception and its causes, unredacted): use
 * it only where traces are as private as logs.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 */
public final class ExceptionRecording {

  /** The default bound of a recorded message, in characters. */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 256;

  private static final ExceptionRecording DEFAULTS = builder().build();

  private final int maxMessageLength;
  private final @Nullable UnaryOperator<String> redactor;
  private final boolean stackTraces;

  private ExceptionRecording(Builder builder) {
    this.maxMessageLength = builder.maxMessageLength;
    this.redactor = builder.redactor;
    this.stackTraces = builder.stackTraces;
  }

  /**
   * Type, and the message cut to {@value #DEFAULT_MAX_MESSAGE_LENGTH} characters; no stack trace.
   */
  public static ExceptionRecording ofDefaults() {
    return DEFAULTS;
  }

  /** The whole message and the stack trace: opt in only where traces are private. */
  public static ExceptionRecording full() {
    return builder().maxMessageLength(Integer.MAX_VALUE).stackTraces(true).build();
  }

  /** The type only: no message, no stack trace. */
  public static ExceptionRecording typeOnly() {
    return builder().maxMessageLength(0).build();
  }

  /** Starts from the defaults of {@link #ofDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Most characters of a message recorded; 0 records no message. */
  public int maxMessageLength() {
    return maxMessageLength;
  }

  /** Whether stack traces are recorded. */
  public boolean stackTraces() {
    return stackTraces;
  }

  /**
   * The message of an error as it may be recorded: redacted, then cut to the bound with a trailing
   * {@code …}; {@code null} when there is nothing to record (no message, a bound of 0, or a
   * redactor that threw or returned null).
   */
  public @Nullable String message(Throwable error) {
    if (maxMessageLength == 0) {
      return null;
    }
    String message;
    try {
      message = error.getMessage();
      if (message != null && redactor != null) {
        message = redactor.apply(message);
      }
    } catch (Throwable e) { // a redactor is user code: whatever it throws, record no message
      return null;
    }
    if (message == null || message.isEmpty()) {
      return null;
    }
    if (message.length() > maxMessageLength) {
      int cut = maxMessageLength - 1;
      if (cut > 0 && Character.isHighSurrogate(message.charAt(cut - 1))) {
        cut--;
      }
      return message.substring(0, Math.max(cut, 0)) + "…";
    }
    return message;
  }

  @Override
  public String toString() {
    return "ExceptionRecording[maxMessageLength="
        + maxMessageLength
        + ", redactor="
        + (redactor != null)
        + ", stackTraces="
        + stackTraces
        + "]";
  }

  /** Configures an {@link ExceptionRecording}. Not thread-safe. */
  public static final class Builder {
    private int maxMessageLength = DEFAULT_MAX_MESSAGE_LENGTH;
    private @Nullable UnaryOperator<String> redactor;
    private boolean stackTraces;

    private Builder() {}

    /**
     * Most characters of a message recorded (default {@value #DEFAULT_MAX_MESSAGE_LENGTH}); longer
     * messages are cut and end with {@code …}. 0 records no message.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxMessageLength(int maxMessageLength) {
      if (maxMessageLength < 0) {
        throw new IllegalArgumentException(
            "maxMessageLength must be >= 0, was " + maxMessageLength);
      }
      this.maxMessageLength = maxMessageLength;
      return this;
    }

    /**
     * Rewrites a message before it is recorded (default: none), for example to mask passwords. It
     * runs on the run's event thread and must be fast and thread-safe; if it throws or returns
     * {@code null}, no message is recorded. It does not apply to stack traces.
     */
    public Builder redactor(UnaryOperator<String> redactor) {
      this.redactor = Objects.requireNonNull(redactor, "redactor");
      return this;
    }

    /**
     * Whether the stack trace is recorded as {@code exception.stacktrace} (default {@code false}).
     * A stack trace holds the unredacted messages of the exception and its causes.
     */
    public Builder stackTraces(boolean stackTraces) {
      this.stackTraces = stackTraces;
      return this;
    }

    /** Builds the configuration. */
    public ExceptionRecording build() {
      return new ExceptionRecording(this);
    }
  }
}
