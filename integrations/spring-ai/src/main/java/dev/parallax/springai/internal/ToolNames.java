package dev.parallax.springai.internal;

import java.util.regex.Pattern;

/**
 * Maps a Spring AI tool name to a Parallax tool name (1 to 64 letters, digits, '_', '-' or '.').
 * Names that already fit, which is every name the major model APIs accept, are kept as they are.
 * May change at any time.
 */
public final class ToolNames {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern INVALID_CHAR = Pattern.compile("[^A-Za-z0-9_.-]");

  private ToolNames() {}

  /** The Parallax name for a Spring AI tool name: the same when valid, else a cleaned copy. */
  public static String parallaxName(String springName) {
    if (VALID.matcher(springName).matches()) {
      return springName;
    }
    String cleaned = INVALID_CHAR.matcher(springName).replaceAll("_");
    if (cleaned.isEmpty()) {
      return "unnamed_tool";
    }
    return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
  }
}
