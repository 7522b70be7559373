package dev.parallax.planner.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Objects;

/**
 * A cache key: a tool's name and its input as canonical JSON ({@link CanonicalJson}), so inputs
 * with the same members in another order are one key. Internal; may change at any time.
 *
 * @param tool the tool's name
 * @param arguments the input as canonical JSON text
 */
public record CanonicalKey(String tool, String arguments) {

  /** Checks the fields. */
  public CanonicalKey {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
  }

  /**
   * The key of a call of {@code tool} with {@code input}.
   *
   * @throws IllegalArgumentException if the input cannot be written as JSON; the message names the
   *     tool and the input's class (never the input itself, which may hold secrets)
   */
  public static CanonicalKey of(String tool, Object input) {
    try {
      return new CanonicalKey(tool, CanonicalJson.write(input));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          "the input of tool '"
              + tool
              + "' (a "
              + input.getClass().getName()
              + ") cannot be written as canonical JSON: "
              + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e),
          e);
    }
  }

  /** The number of characters of the key, a rough measure of its memory. */
  public long length() {
    return tool.length() + (long) arguments.length();
  }
}
