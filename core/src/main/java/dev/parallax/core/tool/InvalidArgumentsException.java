package dev.parallax.core.tool;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The arguments of a tool call do not fit the tool: malformed JSON, content after the JSON value,
 * an unknown property, a missing required property, {@code null} where a value is required, a value
 * of the wrong type, or a value the tool's published JSON schema does not allow.
 *
 * <p>A call made by {@link ToolRegistry#call(String, String, String)} with such arguments is not
 * thrown at: it ends {@code FAILED} with this exception as its error when it runs, and no tool
 * runs. The executor never retries it (the same arguments fail the same way). The {@link #reason()}
 * is written to be handed back to the model as the tool's result, so it can correct the call, for
 * example {@code unknown property 'town'; the properties of tool 'weather' are: city, units}.
 *
 * <p>Immutable and thread-safe.
 */
public final class InvalidArgumentsException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String callId;
  private final String toolName;
  private final @Nullable String property;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param callId the id of the call
   * @param toolName the tool that was called
   * @param property the path of the offending property ({@code city}, {@code stops[2].name}), or
   *     {@code null} when the problem is the arguments as a whole (malformed JSON, trailing
   *     content)
   * @param reason what is wrong, written for the model
   * @param cause the parser's exception, if any
   */
  public InvalidArgumentsException(
      String callId,
      String toolName,
      @Nullable String property,
      String reason,
      @Nullable Throwable cause) {
    super(
        "call '"
            + Objects.requireNonNull(callId, "callId")
            + "' to tool '"
            + Objects.requireNonNull(toolName, "toolName")
            + "' has invalid arguments: "
            + Objects.requireNonNull(reason, "reason"),
        cause);
    this.callId = callId;
    this.toolName = toolName;
    this.property = property;
    this.reason = reason;
  }

  /** The id of the call whose arguments were rejected. */
  public String callId() {
    return callId;
  }

  /** The name of the tool that was called. */
  public String toolName() {
    return toolName;
  }

  /**
   * The path of the offending property, such as {@code city} or {@code stops[2].name}; {@code null}
   * when the arguments as a whole are wrong (malformed JSON, content after the JSON value).
   */
  public @Nullable String property() {
    return property;
  }

  /** What is wrong with the arguments, without the call id: meant to be shown to the model. */
  public String reason() {
    return reason;
  }
}
